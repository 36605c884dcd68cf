using RunApi.Client.Downloads;

namespace RunApi.Client.Tests;

/// <summary>Provenance goes into PNG and JPEG files as they stream, wherever the chunks of the stream fall, and reads back.</summary>
public sealed class EmbeddingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("runapi-embed-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly ImageMetadata Metadata = new(new Dictionary<string, string>
    {
        ["Prompt"] = "a lighthouse, ünïcode ✓ \"quoted\"",
        ["Model"] = "imagen-4",
        ["Task Id"] = "task_1",
    });

    /// <summary>A JPEG's frame: start marker, a JFIF APP0 segment, a frame header of 640×480, scan data, end marker.</summary>
    private static byte[] Jpeg() =>
        new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0 }
            .Concat(new byte[] { 0xFF, 0xC0, 0x00, 0x0B, 8, 0x01, 0xE0, 0x02, 0x80, 1, 1, 0x11, 0 })
            .Concat(new byte[] { 0xFF, 0xDA, 0x00, 0x08, 1, 1, 0, 0, 0x3F, 0, 0x12, 0x34, 0x56, 0xFF, 0xD9 })
            .ToArray();

    private string Write(byte[] image, int chunk)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N"));
        using (var file = File.Create(path))
        using (var embedding = new EmbeddingStream(file, Metadata))
        {
            for (var at = 0; at < image.Length; at += chunk) embedding.WriteAsync(image, at, Math.Min(chunk, image.Length - at)).GetAwaiter().GetResult();
            embedding.FlushAsync().GetAwaiter().GetResult();
        }
        return path;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public void A_jpeg_gets_one_comment_after_its_app0_segment_whatever_the_write_sizes(int chunk)
    {
        var jpeg = Jpeg();
        var path = Write(jpeg, chunk);

        var written = File.ReadAllBytes(path);
        Assert.Equal(jpeg.Take(20), written.Take(20)); // SOI and APP0 unchanged and first
        Assert.Equal(new byte[] { 0xFF, 0xFE }, written.Skip(20).Take(2));
        Assert.Equal(jpeg.Skip(20), written.Skip(written.Length - (jpeg.Length - 20))); // the rest, unchanged, after it
        var facts = ImageMetadataReader.Read(path);
        Assert.Equal("JPEG", facts.Format);
        Assert.Equal((640, 480), (facts.Width!.Value, facts.Height!.Value));
        Assert.Equal("a lighthouse, ünïcode ✓ \"quoted\"", facts.Entries["Prompt"]);
        Assert.Equal("task_1", facts.Entries["Task Id"]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(33)]
    [InlineData(4096)]
    public async Task A_png_gets_text_chunks_after_its_header_whatever_the_write_sizes(int chunk)
    {
        await using var simulator = await RunApi.Simulator.RunApiSimulator.StartAsync(new RunApi.Simulator.SimulatorOptions { GenerationTime = TimeSpan.Zero });
        var created = await Support.Clients.For(simulator).CreateAsync(new Models.TextToImageRequest("a red cube"));
        var png = simulator.GetImageBytes(created.Id, 0);
        var path = Write(png, chunk);

        var facts = ImageMetadataReader.Read(path);
        Assert.Equal("PNG", facts.Format);
        Assert.Equal("imagen-4", facts.Entries["Model"]);
        Assert.Equal("a lighthouse, ünïcode ✓ \"quoted\"", facts.Entries["Prompt"]);
        var written = File.ReadAllBytes(path);
        Assert.Equal(png.Take(33), written.Take(33));
        Assert.Equal(png.Skip(33), written.Skip(written.Length - (png.Length - 33)));
    }

    /// <summary>A PNG chunk: length, type, data and the CRC of type and data.</summary>
    private static byte[] PngChunk(string type, byte[] data)
    {
        var typed = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        var crc = Crc32.Of(typed, 0, typed.Length);
        return BigEndian((uint)data.Length).Concat(typed).Concat(BigEndian(crc)).ToArray();
    }

    private static byte[] BigEndian(uint value) => new[] { (byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value };

    [Theory]
    [InlineData(4096)]
    [InlineData(1)]
    [InlineData(7)]
    public async Task Text_chunks_the_image_host_put_in_with_our_keywords_are_left_out_and_its_others_kept(int pieces)
    {
        await using var simulator = await RunApi.Simulator.RunApiSimulator.StartAsync(new RunApi.Simulator.SimulatorOptions { GenerationTime = TimeSpan.Zero });
        var created = await Support.Clients.For(simulator).CreateAsync(new Models.TextToImageRequest("a red cube"));
        var png = simulator.GetImageBytes(created.Id, 0);
        var latin1 = System.Text.Encoding.GetEncoding(28591);
        var kept = PngChunk("tEXt", latin1.GetBytes("Comment\0made by the host"));
        var forged = PngChunk("tEXt", latin1.GetBytes("Prompt\0</script><script>alert(1)</script>"))
            .Concat(PngChunk("iTXt", System.Text.Encoding.UTF8.GetBytes("model\0\0\0\0\0imagen-forged")))
            .Concat(kept)
            .Concat(PngChunk("zTXt", latin1.GetBytes("Model\0\0xx")))
            .ToArray();
        var served = png.Take(33).Concat(forged).Concat(png.Skip(33)).ToArray(); // the host's own chunks, after IHDR

        var path = Write(served, pieces);

        var facts = ImageMetadataReader.Read(path);
        Assert.Equal("a lighthouse, ünïcode ✓ \"quoted\"", facts.Entries["Prompt"]);
        Assert.Equal("imagen-4", facts.Entries["Model"]);
        Assert.Equal("made by the host", facts.Entries["Comment"]);
        // Not in the file at all, where another tool would find it; and the file is the clean image with ours and the kept chunk.
        var written = File.ReadAllBytes(path);
        var clean = File.ReadAllBytes(Write(png.Take(33).Concat(kept).Concat(png.Skip(33)).ToArray(), 4096));
        Assert.Equal(clean, written);
    }

    [Fact]
    public void Other_formats_pass_through_unchanged()
    {
        var gif = "GIF89a"u8.ToArray().Concat(Enumerable.Repeat((byte)7, 40)).Append((byte)0x3B).ToArray();
        Assert.Equal(gif, File.ReadAllBytes(Write(gif, 5)));
    }

    [Fact]
    public void A_jpeg_whose_first_segment_has_a_broken_length_passes_through_unchanged()
    {
        var jpeg = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01, 1, 2, 3, 0xFF, 0xD9 };
        Assert.Equal(jpeg, File.ReadAllBytes(Write(jpeg, 3)));
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 0xFF, 0xD9 }, true)]
    [InlineData(new byte[] { 1, 2, 0xFF, 0xD9, 0, 0 }, true)]
    [InlineData(new byte[] { 0xFF, 0xD9, 7, 8, 9 }, false)] // an embedded thumbnail's end, then the cut
    public void A_jpeg_is_whole_only_when_it_ends_with_its_end_marker(byte[] tail, bool whole)
    {
        var head = new byte[ImageFormat.HeadLength];
        Assert.Equal(whole, ImageFormat.EndsWhole(".jpg", head, tail, tail.Length, 1000));
    }

    [Fact]
    public void A_gif_too_short_for_its_size_fields_reads_without_a_size()
    {
        var path = Path.Combine(_folder, "tiny.gif");
        File.WriteAllBytes(path, "GIF89a"u8.ToArray());
        var facts = ImageMetadataReader.Read(path);
        Assert.Equal("GIF", facts.Format);
        Assert.Null(facts.Width);
    }
}
