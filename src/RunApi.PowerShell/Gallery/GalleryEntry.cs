using System;

namespace RunApi.PowerShell.Gallery
{
    /// <summary>One card of a gallery page: a saved image with what is known of how it was made, or a failed prompt.</summary>
    internal sealed class GalleryEntry
    {
        /// <summary>The image file; null for a failure.</summary>
        public string? ImagePath { get; set; }
        public string? Prompt { get; set; }
        public string? NegativePrompt { get; set; }
        public string? Model { get; set; }
        public long? Seed { get; set; }
        public string? TaskId { get; set; }

        /// <summary>When the image was made (its task completed), or the file's time when nothing better is known.</summary>
        public DateTimeOffset? Time { get; set; }

        /// <summary>The list price of the image in US dollars, when known.</summary>
        public decimal? CostUsd { get; set; }

        /// <summary>PNG, JPEG, WebP or GIF.</summary>
        public string? Format { get; set; }
        public int? Width { get; set; }
        public int? Height { get; set; }

        /// <summary>Why the prompt has no image; set only for a failure.</summary>
        public string? Error { get; set; }

        public bool IsFailure => ImagePath is null;
    }
}
