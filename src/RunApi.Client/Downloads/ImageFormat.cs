using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace RunApi.Client.Downloads
{
    /// <summary>
    /// Recognises the four image formats by their bytes: the start names the format (and so the file's extension),
    /// the end says whether the image arrived whole (PNG's IEND chunk, JPEG's end-of-image marker, GIF's trailer,
    /// WebP's RIFF length). An HTML page or a body cut off without a Content-Length is never kept as an image.
    /// </summary>
    internal static class ImageFormat
    {
        public const int HeadLength = 16;
        public const int TailLength = 12;

        /// <summary>The media type of each image file extension the module reads and uploads.</summary>
        public static readonly IReadOnlyDictionary<string, string> MediaTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [".png"] = "image/png",
            [".jpg"] = "image/jpeg",
            [".jpeg"] = "image/jpeg",
            [".webp"] = "image/webp",
            [".gif"] = "image/gif",
        };

        /// <summary>True for a name ending in .png, .jpg, .jpeg, .webp or .gif (in any case).</summary>
        public static bool HasImageExtension(string path) => MediaTypes.ContainsKey(Path.GetExtension(path));

        private static readonly byte[] PngEnd = { 0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82 };

        /// <summary>".png", ".jpg", ".webp" or ".gif" from the first bytes; null when they are none of these.</summary>
        public static string? FromSignature(byte[] b, int n)
        {
            if (n >= 8 && b[0] == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') return ".png";
            if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return ".jpg";
            if (n >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') return ".webp";
            if (n >= 4 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') return ".gif";
            return null;
        }

        /// <summary>True when the last bytes (<paramref name="tail"/>, the final <paramref name="tailLength"/> of them) end the format.</summary>
        public static bool EndsWhole(string extension, byte[] head, byte[] tail, int tailLength, long total)
        {
            switch (extension)
            {
                case ".png":
                    return tailLength == PngEnd.Length && Same(tail, PngEnd);
                case ".jpg":
                    // The end-of-image marker last, allowing the zero padding some encoders write after it.
                    var end = tailLength;
                    while (end > 2 && tail[end - 1] == 0x00) end--;
                    return end >= 2 && tail[end - 2] == 0xFF && tail[end - 1] == 0xD9;
                case ".gif":
                    return tailLength > 0 && tail[tailLength - 1] == 0x3B;
                case ".webp":
                    return head[4] + (head[5] << 8) + (head[6] << 16) + ((long)head[7] << 24) + 8 == total;
                default:
                    return false;
            }
        }

        /// <summary>What the body looks like, for the message when it is not an image: its first printable characters.</summary>
        public static string Describe(byte[] head, int n)
        {
            var text = new StringBuilder();
            for (var i = 0; i < n; i++) text.Append(head[i] >= 0x20 && head[i] < 0x7F ? (char)head[i] : '.');
            return text.ToString();
        }

        private static bool Same(byte[] a, byte[] b)
        {
            for (var i = 0; i < b.Length; i++) if (a[i] != b[i]) return false;
            return true;
        }
    }
}
