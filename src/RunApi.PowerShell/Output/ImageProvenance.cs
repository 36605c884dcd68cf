using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using RunApi.Client.Downloads;

namespace RunApi
{
    /// <summary>
    /// Where a saved image came from: its task, what the task was asked, and when. The FileInfo a save emits carries it
    /// as note properties (so Export-Csv of a batch's files is its manifest), and the image file itself holds it.
    /// </summary>
    internal sealed class ImageProvenance
    {
        public const string SavedImageTypeName = "RunApi.SavedImage";

        private ImageProvenance(string? taskId, string? endpoint, TaskAsk ask, int imageIndex, DateTimeOffset? submittedAt,
            DateTimeOffset? completedAt, decimal? estimatedCostUsd)
        {
            TaskId = taskId;
            Endpoint = endpoint;
            Ask = ask;
            ImageIndex = imageIndex;
            SubmittedAt = submittedAt;
            CompletedAt = completedAt;
            EstimatedCostUsd = estimatedCostUsd;
        }

        public string? TaskId { get; }
        public string? Endpoint { get; }
        public TaskAsk Ask { get; }
        public int ImageIndex { get; }
        public DateTimeOffset? SubmittedAt { get; }
        public DateTimeOffset? CompletedAt { get; }
        public decimal? EstimatedCostUsd { get; }

        public static ImageProvenance Of(ImagenTask task, int imageIndex) =>
            new ImageProvenance(task.TaskId, task.Endpoint, task.Ask, imageIndex, task.SubmittedAt, task.CompletedAt, task.EstimatedCostUsd);

        /// <summary>An image on its own: its task's facts when it came from a task object, else only its task id.</summary>
        public static ImageProvenance Of(ImagenImage image) =>
            image.Owner is { } task ? Of(task, image.Index) : new ImageProvenance(image.TaskId, null, TaskAsk.Unknown, image.Index, null, null, null);

        /// <summary>A plain object or CSV row: whatever of the facts it has, by property name.</summary>
        public static ImageProvenance Of(PSObject item, string? taskId, int imageIndex)
        {
            var ask = new TaskAsk(Text(item, "Model"), Text(item, "Prompt"), Text(item, "NegativePrompt"), Text(item, "AspectRatio"),
                long.TryParse(Text(item, "Seed"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : (long?)null);
            return new ImageProvenance(taskId, Text(item, "Endpoint"), ask, imageIndex, Time(item, "SubmittedAt"), Time(item, "CompletedAt"),
                decimal.TryParse(Text(item, "EstimatedCostUsd"), NumberStyles.Number, CultureInfo.InvariantCulture, out var cost) ? cost : (decimal?)null);
        }

        /// <summary>These facts for image <paramref name="imageIndex"/> of task <paramref name="taskId"/>.</summary>
        public ImageProvenance WithTask(string taskId, int imageIndex) =>
            new ImageProvenance(taskId, Endpoint, Ask, imageIndex, SubmittedAt, CompletedAt, EstimatedCostUsd);

        /// <summary>A URL with nothing known about it.</summary>
        public static ImageProvenance None(int imageIndex) =>
            new ImageProvenance(null, null, TaskAsk.Unknown, imageIndex, null, null, null);

        /// <summary>The FileInfo of the saved image, with these facts as note properties and a type name of its own.</summary>
        public PSObject Describe(string path)
        {
            var file = PSObject.AsPSObject(new FileInfo(path));
            file.TypeNames.Insert(0, SavedImageTypeName);
            Add(file, "TaskId", TaskId);
            Add(file, "Endpoint", Endpoint);
            Add(file, "Prompt", Ask.Prompt);
            Add(file, "NegativePrompt", Ask.NegativePrompt);
            Add(file, "Model", Ask.Model);
            Add(file, "AspectRatio", Ask.AspectRatio);
            Add(file, "Seed", Ask.Seed);
            Add(file, "ImageIndex", ImageIndex);
            Add(file, "SubmittedAt", SubmittedAt);
            Add(file, "CompletedAt", CompletedAt);
            Add(file, "EstimatedCostUsd", EstimatedCostUsd);
            return file;
        }

        /// <summary>What the image file itself holds; null when nothing is known of its task.</summary>
        public ImageMetadata? Metadata(DateTimeOffset now)
        {
            if (TaskId is null) return null;
            return new ImageMetadata(new[]
            {
                Entry(MetadataKeys.Prompt, Ask.Prompt),
                Entry(MetadataKeys.NegativePrompt, Ask.NegativePrompt),
                Entry(MetadataKeys.Model, Ask.Model),
                Entry(MetadataKeys.Seed, Ask.Seed?.ToString(CultureInfo.InvariantCulture)),
                Entry(MetadataKeys.AspectRatio, Ask.AspectRatio),
                Entry(MetadataKeys.TaskId, TaskId),
                Entry(MetadataKeys.Endpoint, Endpoint),
                Entry(MetadataKeys.ImageIndex, ImageIndex.ToString(CultureInfo.InvariantCulture)),
                Entry(MetadataKeys.CreationTime, (CompletedAt ?? now).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
                Entry(MetadataKeys.Software, MetadataKeys.SoftwareName),
            });
        }

        private static KeyValuePair<string, string> Entry(string key, string? value) => new KeyValuePair<string, string>(key, value ?? string.Empty);

        private static void Add(PSObject file, string name, object? value) => file.Properties.Add(new PSNoteProperty(name, value));

        /// <summary>A property of a piped object as trimmed text; null when it is missing or blank.</summary>
        internal static string? Text(PSObject item, string name)
        {
            var value = item.Properties[name]?.Value;
            var text = value is PSObject wrapped ? wrapped.BaseObject?.ToString() : value?.ToString();
            return string.IsNullOrWhiteSpace(text) ? null : text!.Trim();
        }

        private static DateTimeOffset? Time(PSObject item, string name)
        {
            var value = item.Properties[name]?.Value;
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            if (value is DateTimeOffset offset) return offset;
            if (value is DateTime time) return new DateTimeOffset(time);
            return DateTimeOffset.TryParse(value?.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : (DateTimeOffset?)null;
        }
    }
}
