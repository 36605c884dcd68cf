using System;
using System.Collections.Generic;
using System.Globalization;
using RunApi.Client.Downloads;

namespace RunApi
{
    /// <summary>What a saved image file says about itself (Get-ImagenImageInfo): its task, prompt and model, written when it was saved.</summary>
    public sealed class ImagenImageInfo
    {
        internal ImagenImageInfo(string path, ImageFileFacts facts)
        {
            Path = path;
            Format = facts.Format;
            Width = facts.Width;
            Height = facts.Height;
            var e = facts.Entries;
            Prompt = Get(e, MetadataKeys.Prompt);
            NegativePrompt = Get(e, MetadataKeys.NegativePrompt);
            Model = Get(e, MetadataKeys.Model);
            Seed = long.TryParse(Get(e, MetadataKeys.Seed), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : (long?)null;
            AspectRatio = Get(e, MetadataKeys.AspectRatio);
            TaskId = Get(e, MetadataKeys.TaskId);
            Endpoint = Get(e, MetadataKeys.Endpoint);
            ImageIndex = int.TryParse(Get(e, MetadataKeys.ImageIndex), NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) ? index : (int?)null;
            CreatedAt = DateTimeOffset.TryParse(Get(e, MetadataKeys.CreationTime), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null;
            Software = Get(e, MetadataKeys.Software);
        }

        public string Path { get; }

        /// <summary>PNG, JPEG, WebP, GIF or Unknown, from the file's bytes.</summary>
        public string Format { get; }
        public int? Width { get; }
        public int? Height { get; }
        public string? Prompt { get; }
        public string? NegativePrompt { get; }
        public string? Model { get; }
        public long? Seed { get; }
        public string? AspectRatio { get; }
        public string? TaskId { get; }
        public string? Endpoint { get; }
        public int? ImageIndex { get; }
        public DateTimeOffset? CreatedAt { get; }

        /// <summary>What wrote the provenance ("RunApi 1.2.0"); null for an image this module did not save.</summary>
        public string? Software { get; }

        private static string? Get(IReadOnlyDictionary<string, string> entries, string key) =>
            entries.TryGetValue(key, out var value) && !string.IsNullOrEmpty(value) ? value : null;

        public override string ToString() => Path;
    }
}
