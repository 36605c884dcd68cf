using System.Net;

namespace RunApi.Client.Tests.Simulator;

public sealed class GeneratedImageTests
{
    [Fact]
    public async Task Completed_images_are_valid_pngs_identical_to_GetImageBytes()
    {
        await using var h = await SimHarness.StartAsync(o => o.ImagesPerTask = 2);
        var id = await h.CreateAsync();
        h.Time.Advance(TimeSpan.FromSeconds(10));
        var urls = (await h.GetTaskAsync(id)).GetProperty("images").EnumerateArray().Select(i => i.GetProperty("url").GetString()!).ToArray();

        using var first = await h.Files.GetAsync(urls[0]);
        var bytes = await first.Content.ReadAsByteArrayAsync();
        var second = await h.Files.GetByteArrayAsync(urls[1]);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("image/png", first.Content.Headers.ContentType!.MediaType);
        Assert.Equal(bytes.Length, first.Content.Headers.ContentLength);
        Assert.Equal((32, 32), PngChunks.Validate(bytes));
        Assert.Equal(h.Sim.GetImageBytes(id, 0), bytes);
        Assert.Equal(h.Sim.GetImageBytes(id, 1), second);
        Assert.NotEqual(bytes, second);
    }

    [Fact]
    public async Task Images_are_deterministic_per_task_and_differ_between_tasks()
    {
        await using var h = await SimHarness.StartAsync();
        var a = await h.CreateAsync();
        var b = await h.CreateAsync();

        Assert.Equal(h.Sim.GetImageBytes(a, 0), h.Sim.GetImageBytes(a, 0));
        Assert.NotEqual(h.Sim.GetImageBytes(a, 0), h.Sim.GetImageBytes(b, 0));
        Assert.Throws<ArgumentException>(() => h.Sim.GetImageBytes(a, 1));
        Assert.Throws<ArgumentException>(() => h.Sim.GetImageBytes("task_nope", 0));
    }

    [Fact]
    public async Task ImageBytes_pads_each_png_to_exactly_that_size_with_an_ancillary_chunk()
    {
        await using var h = await SimHarness.StartAsync(o => o.ImageBytes = 2 * 1024 * 1024);
        var id = await h.CreateAsync();
        h.Time.Advance(TimeSpan.FromSeconds(10));

        using var response = await h.Files.GetAsync($"/generated/{id}/0.png");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(2 * 1024 * 1024, bytes.Length);
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        PngChunks.Validate(bytes);
        Assert.Contains(PngChunks.Read(bytes), c => c.Type == "paDd" && c.Data.Length > 2_000_000);
    }

    [Fact]
    public async Task Images_are_404_before_completion_and_for_unknown_tasks_or_indexes()
    {
        await using var h = await SimHarness.StartAsync();
        var id = await h.CreateAsync();

        var early = await h.Files.GetAsync($"/generated/{id}/0.png");
        h.Time.Advance(TimeSpan.FromSeconds(10));
        var badIndex = await h.Files.GetAsync($"/generated/{id}/1.png");
        var unknown = await h.Files.GetAsync("/generated/task_000000000000000000000000/0.png");
        var ready = await h.Files.GetAsync($"/generated/{id}/0.png");

        Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, badIndex.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Failed_tasks_serve_no_image()
    {
        await using var h = await SimHarness.StartAsync();
        var id = await h.CreateAsync(prompt: "[fail]");
        h.Time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.NotFound, (await h.Files.GetAsync($"/generated/{id}/0.png")).StatusCode);
    }

    [Fact]
    public async Task The_files_origin_needs_no_key_and_records_any_authorization_sent()
    {
        await using var h = await SimHarness.StartAsync();
        var id = await h.CreateAsync();
        h.Time.Advance(TimeSpan.FromSeconds(10));
        var url = (await h.GetTaskAsync(id)).GetProperty("images")[0].GetProperty("url").GetString()!;

        Assert.Equal(HttpStatusCode.OK, (await h.Files.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await h.Http.GetAsync(url)).StatusCode); // a leaky client: absolute URL, key attached

        var downloads = h.Sim.Requests.Where(r => r.OnFilesOrigin).ToArray();
        Assert.Equal(2, downloads.Length);
        Assert.Null(downloads[0].Authorization);
        Assert.Equal($"Bearer {h.Sim.ApiKey}", downloads[1].Authorization);
    }
}
