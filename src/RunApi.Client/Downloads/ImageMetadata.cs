using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace RunApi.Client.Downloads
{
    /// <summary>
    /// Text an image file carries about where it came from (prompt, model, seed, task id...), written while it streams
    /// to disk and read back later. PNG: one iTXt chunk (UTF-8) per entry, right after IHDR, under the entry's name as
    /// keyword ("Prompt", "Model", and the standard "Creation Time" and "Software"). JPEG: one COM (comment) segment
    /// after the leading APP0/APP1 segment, holding a JSON object of the same entries under a "RunApi" marker.
    /// </summary>
    internal sealed class ImageMetadata
    {
        public const string JpegMarker = "RunApi";

        public ImageMetadata(IEnumerable<KeyValuePair<string, string>> entries)
        {
            Entries = entries.Where(e => !string.IsNullOrEmpty(e.Value)).ToList();
        }

        public IReadOnlyList<KeyValuePair<string, string>> Entries { get; }

        /// <summary>The iTXt chunks for a PNG, in order: length, type, keyword, flags, text, CRC.</summary>
        internal byte[] PngChunks()
        {
            using var chunks = new MemoryStream();
            foreach (var entry in Entries)
            {
                var keyword = Encoding.ASCII.GetBytes(entry.Key); // keywords are plain ASCII names
                var text = Encoding.UTF8.GetBytes(entry.Value);
                // type, keyword NUL, compression flag and method (none), language tag NUL, translated keyword NUL, text
                var body = new byte[4 + keyword.Length + 5 + text.Length];
                Encoding.ASCII.GetBytes("iTXt", 0, 4, body, 0);
                Buffer.BlockCopy(keyword, 0, body, 4, keyword.Length);
                Buffer.BlockCopy(text, 0, body, 4 + keyword.Length + 5, text.Length);
                WriteBigEndian(chunks, (uint)(body.Length - 4));
                chunks.Write(body, 0, body.Length);
                WriteBigEndian(chunks, Crc32.Of(body, 0, body.Length));
            }
            return chunks.ToArray();
        }

        /// <summary>The COM segment for a JPEG: marker, length, and the entries as JSON (cut to fit one segment).</summary>
        internal byte[] JpegComment()
        {
            var json = new Dictionary<string, string> { [JpegMarker] = "1" };
            foreach (var entry in Entries) json[entry.Key] = entry.Value;
            var text = JsonSerializer.SerializeToUtf8Bytes(json);
            if (text.Length > 65533) return Array.Empty<byte>(); // a prompt this long does not fit a segment
            var segment = new byte[4 + text.Length];
            segment[0] = 0xFF;
            segment[1] = 0xFE;
            segment[2] = (byte)((text.Length + 2) >> 8);
            segment[3] = (byte)((text.Length + 2) & 0xFF);
            Buffer.BlockCopy(text, 0, segment, 4, text.Length);
            return segment;
        }

        private static void WriteBigEndian(Stream stream, uint value)
        {
            stream.WriteByte((byte)(value >> 24));
            stream.WriteByte((byte)(value >> 16));
            stream.WriteByte((byte)(value >> 8));
            stream.WriteByte((byte)value);
        }
    }
}
