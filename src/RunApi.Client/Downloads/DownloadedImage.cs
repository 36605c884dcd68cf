using System;

namespace RunApi.Client.Downloads
{
    /// <summary>An image that is complete on disk under its final name.</summary>
    internal sealed class DownloadedImage
    {
        public DownloadedImage(Uri source, string path, long length, string? contentType)
        {
            Source = source;
            Path = path;
            Length = length;
            ContentType = contentType;
        }

        public Uri Source { get; }
        public string Path { get; }
        public long Length { get; }
        public string? ContentType { get; }
    }
}
