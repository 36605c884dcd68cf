using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;

namespace RunApi.Client.Downloads
{
    /// <summary>What an image file says about itself: its format and size, and the text entries written into it.</summary>
    internal sealed class ImageFileFacts
    {
        internal ImageFileFacts(string format, int? width, int? height, IReadOnlyDictionary<string, string> entries)
        {
            Format = format;
            Width = width;
            Height = height;
            Entries = entries;
        }

        /// <summary>PNG, JPEG, WebP, GIF, or Unknown.</summary>
        public string Format { get; }
        public int? Width { get; }
        public int? Height { get; }

        /// <summary>PNG tEXt/iTXt entries by keyword; for a JPEG, the entries of this module's COM segment.</summary>
        public IReadOnlyDictionary<string, string> Entries { get; }
    }

    /// <summary>Reads <see cref="ImageFileFacts"/> from the head of a file, stopping at the image data.</summary>
    internal static class ImageMetadataReader
    {
        public static ImageFileFacts Read(string path)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new BinaryReader(stream);
            var head = reader.ReadBytes(ImageFormat.HeadLength);
            var extension = ImageFormat.FromSignature(head, head.Length);
            stream.Position = 0;
            switch (extension)
            {
                case ".png": return ReadPng(reader);
                case ".jpg": return ReadJpeg(reader);
                case ".webp": return new ImageFileFacts("WebP", null, null, NoEntries);
                case ".gif": return head.Length >= 10
                    ? new ImageFileFacts("GIF", head[6] | (head[7] << 8), head[8] | (head[9] << 8), NoEntries)
                    : new ImageFileFacts("GIF", null, null, NoEntries);
                default: return new ImageFileFacts("Unknown", null, null, NoEntries);
            }
        }

        private static readonly IReadOnlyDictionary<string, string> NoEntries = new Dictionary<string, string>();

        private static ImageFileFacts ReadPng(BinaryReader reader)
        {
            reader.ReadBytes(8);
            var entries = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            int? width = null, height = null;
            while (reader.BaseStream.Position + 8 <= reader.BaseStream.Length)
            {
                var length = BigEndian(reader.ReadBytes(4));
                var type = Encoding.ASCII.GetString(reader.ReadBytes(4));
                if (type == "IDAT" || type == "IEND" || length < 0 || length > 16 << 20) break;
                var data = reader.ReadBytes(length);
                reader.ReadBytes(4); // CRC
                if (type == "IHDR" && data.Length >= 8)
                {
                    width = BigEndian(data);
                    height = BigEndian(data, 4);
                }
                else if (type == "tEXt" || type == "iTXt")
                {
                    var entry = type == "tEXt" ? Text(data) : InternationalText(data);
                    // The first of a keyword wins: this module writes its entries right after IHDR, before any the image
                    // host put in, so a host cannot overwrite the provenance with chunks of its own.
                    if (entry is { } e && !entries.ContainsKey(e.Key)) entries[e.Key] = e.Value;
                }
            }
            return new ImageFileFacts("PNG", width, height, entries);
        }

        private static KeyValuePair<string, string>? Text(byte[] data)
        {
            var nul = Array.IndexOf(data, (byte)0);
            if (nul <= 0) return null;
            var latin1 = Encoding.GetEncoding(28591);
            return new KeyValuePair<string, string>(latin1.GetString(data, 0, nul), latin1.GetString(data, nul + 1, data.Length - nul - 1));
        }

        private static KeyValuePair<string, string>? InternationalText(byte[] data)
        {
            var nul = Array.IndexOf(data, (byte)0);
            if (nul <= 0 || nul + 2 >= data.Length || data[nul + 1] != 0) return null; // compressed text is not ours
            var language = Array.IndexOf(data, (byte)0, nul + 3);
            var translated = language < 0 ? -1 : Array.IndexOf(data, (byte)0, language + 1);
            if (translated < 0) return null;
            return new KeyValuePair<string, string>(Encoding.ASCII.GetString(data, 0, nul),
                Encoding.UTF8.GetString(data, translated + 1, data.Length - translated - 1));
        }

        private static ImageFileFacts ReadJpeg(BinaryReader reader)
        {
            reader.ReadBytes(2);
            var entries = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            int? width = null, height = null;
            while (reader.BaseStream.Position + 4 <= reader.BaseStream.Length)
            {
                if (reader.ReadByte() != 0xFF) break;
                var marker = reader.ReadByte();
                if (marker == 0xDA || marker == 0xD9) break; // the image data, or its end
                var length = (reader.ReadByte() << 8) | reader.ReadByte();
                var data = reader.ReadBytes(Math.Max(0, length - 2));
                if (marker == 0xFE) ReadComment(data, entries);
                else if ((marker == 0xC0 || marker == 0xC1 || marker == 0xC2) && data.Length >= 5)
                {
                    height = (data[1] << 8) | data[2];
                    width = (data[3] << 8) | data[4];
                }
            }
            return new ImageFileFacts("JPEG", width, height, entries);
        }

        private static void ReadComment(byte[] data, Dictionary<string, string> entries)
        {
            try
            {
                using var json = JsonDocument.Parse(data);
                if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty(ImageMetadata.JpegMarker, out _)) return;
                foreach (var property in json.RootElement.EnumerateObject())
                {
                    if (property.Name != ImageMetadata.JpegMarker && property.Value.ValueKind == JsonValueKind.String && !entries.ContainsKey(property.Name))
                    {
                        entries[property.Name] = property.Value.GetString()!; // the first wins, as for PNG
                    }
                }
            }
            catch (JsonException)
            {
                // Someone else's comment.
            }
        }

        private static int BigEndian(byte[] b, int offset = 0) =>
            b.Length < offset + 4 ? -1 : (b[offset] << 24) | (b[offset + 1] << 16) | (b[offset + 2] << 8) | b[offset + 3];
    }
}
