using System.Text;
using RunApi.Client.Downloads;
using RunApi.Client.Errors;
using RunApi.Client.Models;
using RunApi.Client.Tests.Support;
using RunApi.Simulator;

namespace RunApi.Client.Tests.Hardening;

/// <summary>Run alone: one test measures the process's allocations, which tests running beside it would add to.</summary>
[CollectionDefinition(nameof(BoundedAnswerTests), DisableParallelization = true)]
public sealed class MeasuresAllocations;

/// <summary>Whatever a server sends, the client reads a bounded amount for a bounded time, and keeps only whole images.</summary>
[Collection(nameof(BoundedAnswerTests))]
public sealed class BoundedAnswerTests : IAsyncLifetime, IDisposable
{
    private const string TaskPath = "/api/v1/imagen_4/text_to_image/";
    private readonly string _folder = Directory.CreateTempSubdirectory("runapi-bounds-").FullName;
    private RunApiSimulator _simulator = null!;

    public async Task InitializeAsync() =>
        _simulator = await RunApiSimulator.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.Zero, ImageBytes = 200_000 });

    public async Task DisposeAsync() => await _simulator.DisposeAsync();
    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<CreatedTask> CreateAsync() => await Clients.For(_simulator).CreateAsync(new TextToImageRequest("a red cube"));

    private async Task<(string TaskId, Uri Url)> ImageAsync()
    {
        var done = await Clients.CompletedTaskAsync(_simulator);
        return (done.Id, new Uri(done.Images![0].Url));
    }

    /// <summary>
    /// Writes <paramref name="total"/> bytes of JSON-looking padding in 64 KB chunks until the client goes away.
    /// </summary>
    private static Func<Stream, CancellationToken, Task> Endless(long total) => async (stream, ct) =>
    {
        var chunk = Encoding.ASCII.GetBytes(new string('a', 65536));
        await stream.WriteAsync(Encoding.ASCII.GetBytes("""{"id":"x","status":"processing","pad":"""), ct);
        for (long written = 0; written < total && !ct.IsCancellationRequested; written += chunk.Length)
        {
            await stream.WriteAsync(chunk, ct);
        }
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_huge_task_answer_ends_the_wait_with_a_clear_error_after_a_few_MB(bool announced)
    {
        var created = await CreateAsync();
        _simulator.Faults.Add(FaultRule.RespondStreamed(200, "application/json", announced ? 1L << 30 : null,
            Endless(1L << 30)).For("GET", TaskPath + created.Id));

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var error = await Assert.ThrowsAsync<RunApiException>(() => Clients.For(_simulator, maxRetries: 2).WaitAsync(created));

        Assert.Equal(RunApiErrorKind.InvalidResponse, error.Kind);
        Assert.Contains("more than 4 MB", error.Message);
        Assert.Single(_simulator.Requests, r => r.Method == "GET");
        // What the server managed to write says little (Kestrel takes writes after the client has gone); the client's
        // memory says it: far less than the 1 GB it was sent, and 2 GB as a string, had it read it all.
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore < 256L << 20,
            $"{(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) >> 20} MB allocated");
    }

    [Fact]
    public async Task An_image_over_the_size_cap_is_refused_once_and_leaves_no_file()
    {
        var (_, url) = await ImageAsync();
        var options = Clients.Options(maxRetries: 3);
        options.MaxImageBytes = 100_000;

        var error = await Assert.ThrowsAsync<RunApiException>(() => new ImageDownloader(options).DownloadAsync(url, DownloadTarget.InDirectory(_folder, "big", false)));

        Assert.Equal(RunApiErrorKind.InvalidResponse, error.Kind);
        Assert.True(error.ImageOverSizeLimit);
        Assert.Single(_simulator.Requests, r => r.OnFilesOrigin);
        Assert.Empty(Directory.GetFiles(_folder, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task An_html_page_served_as_an_image_is_not_saved()
    {
        var (_, url) = await ImageAsync();
        _simulator.Faults.Add(FaultRule.Respond(200, "<!DOCTYPE html><html><body>Sign in</body></html>").For("GET", "/generated/"));

        var error = await Assert.ThrowsAsync<RunApiException>(() => new ImageDownloader(Clients.Options()).DownloadAsync(url, DownloadTarget.InDirectory(_folder, "page", false)));

        Assert.Equal(RunApiErrorKind.InvalidResponse, error.Kind);
        Assert.Contains("<!DOCTYPE", error.Message);
        Assert.Empty(Directory.GetFiles(_folder, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_body_without_a_length_that_stops_half_way_is_not_saved()
    {
        var (taskId, url) = await ImageAsync();
        var bytes = _simulator.GetImageBytes(taskId, 0);
        _simulator.Faults.Add(FaultRule.RespondStreamed(200, "image/png", null,
            (stream, ct) => stream.WriteAsync(bytes.AsMemory(0, bytes.Length / 2), ct).AsTask()).For("GET", "/generated/"));

        var error = await Assert.ThrowsAsync<RunApiException>(() => new ImageDownloader(Clients.Options()).DownloadAsync(url, DownloadTarget.InDirectory(_folder, "half", false)));

        Assert.Equal(RunApiErrorKind.Network, error.Kind);
        Assert.Contains("no PNG end marker", error.Message);
        Assert.Empty(Directory.GetFiles(_folder, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_stalled_download_ends_at_its_deadline_with_every_retry_counted_in_it()
    {
        var (taskId, url) = await ImageAsync();
        var bytes = _simulator.GetImageBytes(taskId, 0);
        var stall = _simulator.Faults.Add(FaultRule.RespondStreamed(200, "image/png", bytes.Length, async (stream, ct) =>
        {
            await stream.WriteAsync(bytes.AsMemory(0, 100), ct);
            await stream.FlushAsync(ct);
            await Task.Delay(Timeout.Infinite, ct);
        }).For("GET", "/generated/"));
        var clock = new ObservableClock();
        var options = Clients.Options(clock, maxRetries: 3);
        options.DownloadTimeout = TimeSpan.FromSeconds(30);

        var download = new ImageDownloader(options).DownloadAsync(url, DownloadTarget.InDirectory(_folder, "slow", false));
        await stall.WaitForFireAsync();
        clock.Advance(TimeSpan.FromSeconds(31));

        // Only a guard against a hang: the clock has already passed the one deadline of the whole download.
        var error = await Assert.ThrowsAsync<RunApiException>(() => download.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(RunApiErrorKind.Timeout, error.Kind);
        Assert.Empty(Directory.GetFiles(_folder, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("cancelled")]
    [InlineData("canceled")]
    public async Task A_cancelled_task_ends_the_wait_at_once(string status)
    {
        var created = await CreateAsync();
        _simulator.Faults.Add(FaultRule.Respond(200, $$"""{"id":"{{created.Id}}","status":"{{status}}"}""").For("GET", TaskPath + created.Id));

        var error = await Assert.ThrowsAsync<RunApiException>(() =>
            Clients.For(_simulator).WaitAsync(created.Endpoint, created.Id, new WaitOptions { PollInterval = TimeSpan.FromMilliseconds(50) }));

        Assert.Equal(RunApiErrorKind.TaskFailed, error.Kind);
        Assert.Contains(status, error.Message);
        Assert.Single(_simulator.Requests, r => r.Method == "GET");
    }

    [Fact]
    public async Task A_task_answer_that_never_parses_ends_the_wait_after_its_retries()
    {
        var created = await CreateAsync();
        _simulator.Faults.Add(FaultRule.Respond(200, "this is not json").For("GET", TaskPath + created.Id));

        var error = await Assert.ThrowsAsync<RunApiException>(() => Clients.For(_simulator).WaitAsync(created.Endpoint, created.Id,
            new WaitOptions { PollInterval = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromMinutes(15) }).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(RunApiErrorKind.InvalidResponse, error.Kind);
        Assert.Single(_simulator.Requests, r => r.Method == "GET");
    }
}
