using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace RunApi.Simulator.Png;

/// <summary>
/// A small, valid PNG made on demand: a 32×32 RGB gradient whose colour comes from the task id, optionally padded
/// to a target size with a private ancillary chunk (which decoders skip). Only the small head is held in memory;
/// the padding is streamed as zeros, so a thousand 2 MB images cost nothing until downloaded.
/// </summary>
internal sealed class PngImage
{
    /// <summary>
    /// Padding chunk type. Lowercase first letter: ancillary (safe to ignore); lowercase second: private; uppercase
    /// third: the reserved bit is clear as the spec requires; lowercase fourth: safe to copy.
    /// </summary>
    public const string PaddingChunkType = "paDd";

    public const int Width = 32;

    public const int Height = 32;

    private const int ChunkOverhead = 12; // length, type, CRC

    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static readonly byte[] IendChunk = [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82];

    private static readonly byte[] Zeros = new byte[64 * 1024];

    // The padding is all zeros, so its CRC depends only on its length; sizes repeat, so it is worked out once each.
    private static readonly ConcurrentDictionary<int, uint> PaddingCrcByLength = new();

    private readonly byte[] _head;
    private readonly int _paddingLength;

    private PngImage(byte[] head, int paddingLength)
    {
        _head = head;
        _paddingLength = paddingLength;
    }

    /// <summary>Total size in bytes.</summary>
    public long Length => _head.Length + (_paddingLength >= 0 ? ChunkOverhead + (long)_paddingLength : 0) + IendChunk.Length;

    /// <summary>
    /// The image for one task and index. With <paramref name="targetBytes"/> &gt; 0 the file is padded to exactly that
    /// size when it can be (the natural image plus a 12-byte chunk header must fit); otherwise it stays natural.
    /// </summary>
    public static PngImage Create(string taskId, int index, int targetBytes)
    {
        var head = EncodeHead(taskId, index);
        var padding = targetBytes - head.Length - IendChunk.Length - ChunkOverhead;
        return new PngImage(head, targetBytes > 0 && padding >= 0 ? padding : -1);
    }

    public byte[] ToArray()
    {
        using var buffer = new MemoryStream((int)Length);
        WriteToAsync(buffer, CancellationToken.None).GetAwaiter().GetResult();
        return buffer.ToArray();
    }

    public async Task WriteToAsync(Stream stream, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(_head, cancellationToken);
        if (_paddingLength >= 0)
        {
            var header = new byte[8];
            BinaryPrimitives.WriteInt32BigEndian(header, _paddingLength);
            Encoding.ASCII.GetBytes(PaddingChunkType, header.AsSpan(4));
            await stream.WriteAsync(header, cancellationToken);
            for (var left = _paddingLength; left > 0; left -= Zeros.Length)
            {
                await stream.WriteAsync(Zeros.AsMemory(0, Math.Min(left, Zeros.Length)), cancellationToken);
            }

            var crc = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(crc, PaddingCrcByLength.GetOrAdd(_paddingLength, PaddingCrc));
            await stream.WriteAsync(crc, cancellationToken);
        }

        await stream.WriteAsync(IendChunk, cancellationToken);
    }

    private static uint PaddingCrc(int length)
    {
        var crc = Crc32.Update(Crc32.Start, Encoding.ASCII.GetBytes(PaddingChunkType));
        for (var left = length; left > 0; left -= Zeros.Length)
        {
            crc = Crc32.Update(crc, Zeros.AsSpan(0, Math.Min(left, Zeros.Length)));
        }

        return Crc32.Finish(crc);
    }

    /// <summary>Signature, IHDR and IDAT.</summary>
    private static byte[] EncodeHead(string taskId, int index)
    {
        using var png = new MemoryStream();
        png.Write(Signature);

        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, Width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), Height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // colour type: truecolour (RGB)
        // compression 0, filter 0, interlace 0
        WriteChunk(png, "IHDR", ihdr);
        WriteChunk(png, "IDAT", Compress(Pixels(taskId, index)));
        return png.ToArray();
    }

    /// <summary>Raw scanlines (filter byte 0 then RGB): a gradient over a base colour taken from a hash of the task id.</summary>
    private static byte[] Pixels(string taskId, int index)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(taskId));
        const int rowLength = 1 + Width * 3;
        var raw = new byte[rowLength * Height];
        for (var y = 0; y < Height; y++)
        {
            var row = y * rowLength;
            for (var x = 0; x < Width; x++)
            {
                var pixel = row + 1 + x * 3;
                raw[pixel] = (byte)(hash[0] + x * 4);
                raw[pixel + 1] = (byte)(hash[1] + y * 4);
                raw[pixel + 2] = (byte)(hash[2] + index * 53);
            }
        }

        return raw;
    }

    private static byte[] Compress(byte[] raw)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        return compressed.ToArray();
    }

    private static void WriteChunk(Stream png, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Finish(Crc32.Update(Crc32.Update(Crc32.Start, typeBytes), data)));
        png.Write(word);
    }
}
