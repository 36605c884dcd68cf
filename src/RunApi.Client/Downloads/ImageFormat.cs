using System;

namespace RunApi.Client.Downloads
{
    /// <summary>Chooses a file extension for an image: its leading bytes first, then the Content-Type, then the URL.</summary>
    internal static class ImageFormat
    {
        public static string ExtensionFor(byte[] head, int headLength, string? contentType, Uri source)
        {
            return FromSignature(head, headLength) ?? FromContentType(contentType) ?? FromUrl(source) ?? ".bin";
        }

        private static string? FromSignature(byte[] b, int n)
        {
            if (n >= 8 && b[0] == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') return ".png";
            if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return ".jpg";
            if (n >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') return ".webp";
            if (n >= 4 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') return ".gif";
            return null;
        }

        private static string? FromContentType(string? contentType)
        {
            switch ((contentType ?? string.Empty).ToLowerInvariant())
            {
                case "image/png": return ".png";
                case "image/jpeg":
                case "image/jpg": return ".jpg";
                case "image/webp": return ".webp";
                case "image/gif": return ".gif";
                default: return null;
            }
        }

        private static string? FromUrl(Uri source)
        {
            var path = source.AbsolutePath;
            var dot = path.LastIndexOf('.');
            if (dot < 0 || dot < path.LastIndexOf('/')) return null;
            var extension = path.Substring(dot).ToLowerInvariant();
            return extension == ".png" || extension == ".jpg" || extension == ".jpeg" || extension == ".webp" || extension == ".gif"
                ? (extension == ".jpeg" ? ".jpg" : extension)
                : null;
        }
    }
}
