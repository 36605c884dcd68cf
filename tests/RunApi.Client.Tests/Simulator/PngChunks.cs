using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace RunApi.Client.Tests.Simulator;

/// <summary>An independent PNG checker for the tests: splits chunks, verifies each CRC, inflates IDAT.</summary>
internal static class PngChunks
{
    public static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static List<(string Type, byte[] Data)> Read(byte[] png)
    {
        Assert.True(png.AsSpan().StartsWith(Signature), "PNG signature missing");
        var chunks = new List<(string, byte[])>();
        var offset = Signature.Length;
        while (offset < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var typeAndData = png.AsSpan(offset + 4, 4 + length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            var type = Encoding.ASCII.GetString(typeAndData[..4]);
            Assert.True(Crc(typeAndData) == crc, $"bad CRC in chunk {type}");
            chunks.Add((type, typeAndData[4..].ToArray()));
            offset += 12 + length;
        }

        Assert.Equal(png.Length, offset);
        return chunks;
    }

    /// <summary>Checks the structure a decoder relies on and returns (width, height).</summary>
    public static (int Width, int Height) Validate(byte[] png)
    {
        var chunks = Read(png);
        Assert.Equal("IHDR", chunks[0].Type);
        Assert.Equal("IEND", chunks[^1].Type);
        Assert.Empty(chunks[^1].Data);
        var ihdr = chunks[0].Data;
        var width = BinaryPrimitives.ReadInt32BigEndian(ihdr);
        var height = BinaryPrimitives.ReadInt32BigEndian(ihdr.AsSpan(4));
        Assert.Equal(8, ihdr[8]);
        Assert.Equal(2, ihdr[9]);

        // Every chunk other than the critical ones must be ancillary (lowercase first letter) so decoders skip it.
        Assert.All(chunks.Where(c => c.Type is not ("IHDR" or "IDAT" or "IEND")), c => Assert.True(char.IsLower(c.Type[0]), c.Type));

        using var idat = new MemoryStream(chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray());
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        Assert.Equal((1 + width * 3) * height, inflated.Length);
        return (width, height);
    }

    private static uint Crc(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
