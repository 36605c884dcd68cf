using RunApi.Client.Downloads;
using RunApi.Client.Errors;
using RunApi.Client.Http;
using RunApi.Client.Models;
using RunApi.Client.Tests.Support;
using RunApi.Simulator;

namespace RunApi.Client.Tests;

/// <summary>
/// Retries against scripted faults, on a fake clock shared with the simulator: what is retried, with which key, after
/// which wait; and what never is.
/// </summary>
public sealed class ResilienceTests : IAsyncLifetime, IDisposable
{
    private const string CreatePath = "/api/v1/imagen_4/text_to_image";
    private readonly ObservableClock _clock = new();
    private readonly List<RetryNotice> _retries = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("runapi-res-").FullName;
    private RunApiSimulator _simulator = null!;

    public async Task InitializeAsync() =>
        _simulator = await RunApiSimulator.StartAsync(new SimulatorOptions { TimeProvider = _clock, GenerationTime = TimeSpan.FromSeconds(5) });

    public async Task DisposeAsync() => await _simulator.DisposeAsync();
    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private RunApiClient Client(int maxRetries = 4) => Clients.For(_simulator, _clock, maxRetries: maxRetries, retries: _retries.Add);

    private Task<(T Result, List<TimeSpan> Pauses)> Drive<T>(Task<T> operation) => _clock.RunAsync(operation);

    private List<RecordedRequest> Creates() => _simulator.Requests.Where(r => r.Method == "POST" && r.Path == CreatePath).ToList();

    [Fact]
    public async Task A_create_answered_502_after_it_was_accepted_is_retried_with_its_key_and_charged_once()
    {
        _simulator.Faults.Add(FaultRule.RespondAfterProcessing(502, """{"error":{"message":"temporarily unavailable"}}""").For("POST", CreatePath).Times(1));
        var before = _simulator.BalanceCents;

        var (created, pauses) = await Drive(Client().CreateAsync(new TextToImageRequest("a red cube")));

        Assert.True(created.Response.TaskReplayed);
        Assert.Single(_simulator.Tasks);
        Assert.Equal(before - 8, _simulator.BalanceCents);
        var creates = Creates();
        Assert.Equal(2, creates.Count);
        Assert.Equal(creates[0].IdempotencyKey, creates[1].IdempotencyKey);
        var retry = Assert.Single(_retries);
        Assert.Contains("HTTP 502", retry.Reason);
        Assert.InRange((retry.Delay - pauses.Single()).Duration(), TimeSpan.Zero, TimeSpan.FromMilliseconds(1)); // the fake clock keeps whole milliseconds
        Assert.InRange(retry.Delay, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_create_whose_connection_drops_after_acceptance_is_retried_and_replayed()
    {
        _simulator.Faults.Add(FaultRule.DropAfterProcessing().For("POST", CreatePath).Times(2));
        var (created, _) = await Drive(Client().CreateAsync(new TextToImageRequest("a red cube")));

        Assert.True(created.Response.TaskReplayed);
        Assert.Single(_simulator.Tasks);
        Assert.Equal(3, Creates().Count);
    }

    [Fact]
    public async Task A_garbled_success_body_on_a_create_is_retried_with_its_key()
    {
        _simulator.Faults.Add(FaultRule.RespondAfterProcessing(200, "{\"id\": \"task_").For("POST", CreatePath).Times(1));
        var (created, _) = await Drive(Client().CreateAsync(new TextToImageRequest("a red cube")));

        Assert.Single(_simulator.Tasks);
        Assert.Equal(_simulator.Tasks[0].Id, created.Id);
    }

    [Fact]
    public async Task A_429_waits_exactly_its_Retry_After()
    {
        _simulator.Faults.Add(FaultRule.Respond(429, """{"message":"slow down"}""", ("Retry-After", "7")).For("POST", CreatePath).Times(2));
        var (_, pauses) = await Drive(Client().CreateAsync(new TextToImageRequest("a red cube")));

        Assert.Equal(new[] { TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7) }, pauses);
        var times = Creates().Select(r => r.ReceivedAt).ToList();
        Assert.Equal(TimeSpan.FromSeconds(7), times[1] - times[0]);
        Assert.Equal(TimeSpan.FromSeconds(7), times[2] - times[1]);
    }

    [Fact]
    public async Task A_Retry_After_past_the_deadline_is_not_waited_for()
    {
        _simulator.Faults.Add(FaultRule.Respond(429, "{}", ("Retry-After", "3600")).For("POST", CreatePath));
        var error = await Assert.ThrowsAsync<RunApiException>(() => Client().CreateAsync(new TextToImageRequest("a red cube")));

        Assert.Equal(RunApiErrorKind.RateLimited, error.Kind);
        Assert.Equal(TimeSpan.FromHours(1), error.RetryAfter);
        Assert.Single(Creates());
    }

    [Fact]
    public async Task A_rate_limit_that_never_lifts_ends_a_create_within_a_minute_saying_nothing_was_charged()
    {
        _simulator.Faults.Add(FaultRule.Respond(429, """{"error":{"code":"rate_limited","message":"slow down"}}""", ("Retry-After", "3")).For("POST", CreatePath));

        var error = await Assert.ThrowsAsync<RunApiException>(() => Drive(Client().CreateAsync(new TextToImageRequest("a red cube"))));

        Assert.Equal(RunApiErrorKind.RateLimited, error.Kind);
        Assert.True(error.EveryAttemptRefused);
        Assert.Contains("Nothing was charged", error.Message);
        Assert.Contains("slow down", error.Message);
        var creates = Creates();
        Assert.InRange(creates[^1].ReceivedAt - creates[0].ReceivedAt, TimeSpan.FromSeconds(55), TimeSpan.FromSeconds(65));
        Assert.Contains($"{creates.Count} times in", error.Message);
        Assert.Empty(_simulator.Tasks);
    }

    [Fact]
    public async Task A_create_that_may_have_reached_RunAPI_before_a_rate_limit_is_not_said_to_be_uncharged()
    {
        _simulator.Faults.Add(FaultRule.RespondAfterProcessing(502, "{}").For("POST", CreatePath).Times(1));
        _simulator.Faults.Add(FaultRule.Respond(429, "{}", ("Retry-After", "3")).For("POST", CreatePath));

        var error = await Assert.ThrowsAsync<RunApiException>(() => Drive(Client().CreateAsync(new TextToImageRequest("a red cube"))));

        Assert.Equal(RunApiErrorKind.RateLimited, error.Kind);
        Assert.False(error.EveryAttemptRefused);
        Assert.DoesNotContain("charged", error.Message);
        Assert.Single(_simulator.Tasks); // the 502 came after the task was made: it is found again by its key
    }

    [Fact]
    public async Task When_retries_run_out_the_last_error_is_returned_after_max_retries_plus_one_attempts()
    {
        _simulator.Faults.Add(FaultRule.Respond(503, """{"error":"No active channel available"}""").For("GET", "/api/v1/me/balance"));
        var operation = Drive(Client(maxRetries: 3).GetBalanceAsync());
        var error = await Assert.ThrowsAsync<RunApiException>(() => operation);

        Assert.Equal(RunApiErrorKind.ServiceUnavailable, error.Kind);
        Assert.Equal("No active channel available", error.ServiceMessage);
        Assert.Equal(4, _simulator.Requests.Count);
        Assert.Equal(new[] { 1, 2, 3 }, _retries.Select(r => r.Retry));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(402)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(422)]
    public async Task Client_errors_are_never_retried(int status)
    {
        _simulator.Faults.Add(FaultRule.Respond(status, "{}").For("POST", CreatePath));
        await Assert.ThrowsAsync<RunApiException>(() => Client().CreateAsync(new TextToImageRequest("a red cube")));
        Assert.Single(Creates());
        Assert.Empty(_retries);
    }

    [Fact]
    public async Task A_create_sent_again_after_a_429_counts_from_the_attempt_that_made_its_task()
    {
        _simulator.Faults.Add(FaultRule.Respond(429, "{}", ("Retry-After", "3")).For("POST", CreatePath).Times(1));
        var start = _clock.GetUtcNow();

        var (created, _) = await Drive(Client().CreateAsync(new TextToImageRequest("a red cube")));

        // The 3 s spent waiting out the 429 are not part of the task's time: the schedule learns from this stamp.
        Assert.Equal(start + TimeSpan.FromSeconds(3), created.SubmittedAt);
    }

    [Fact]
    public async Task A_POST_without_an_idempotency_key_is_never_retried()
    {
        var path = Path.Combine(_folder, "cat.png");
        File.WriteAllBytes(path, UploadTests.PngSignature);
        _simulator.Faults.Add(FaultRule.Respond(503, "{}").For("POST", "/api/v1/files/prepare"));

        await Assert.ThrowsAsync<RunApiException>(() => Client().UploadFileAsync(path));
        Assert.Single(_simulator.Requests);
    }

    [Fact]
    public async Task A_429_storm_slows_the_polling_down_instead_of_failing_the_wait()
    {
        var client = Client(maxRetries: 1);
        var created = await client.CreateAsync(new TextToImageRequest("a red cube"));
        // Six refused polls: more than one poll's own retries can absorb.
        _simulator.Faults.Add(FaultRule.Respond(429, "{}", ("Retry-After", "3")).For("GET", CreatePath + "/").Times(6));

        var (task, pauses) = await Drive(client.WaitAsync(TaskEndpoint.TextToImage, created.Id, new WaitOptions()));

        Assert.Equal(TaskState.Completed, task.State);
        Assert.All(pauses, p => Assert.True(p >= TimeSpan.FromSeconds(3), $"paused only {p}"));
        Assert.Equal(7, _simulator.Requests.Count(r => r.Method == "GET"));
    }

    [Fact]
    public async Task A_download_cut_in_the_middle_is_retried_and_leaves_only_the_whole_file()
    {
        var client = Client();
        var created = await client.CreateAsync(new TextToImageRequest("a red cube"));
        _clock.Advance(TimeSpan.FromSeconds(5));
        var task = await client.GetTaskAsync(TaskEndpoint.TextToImage, created.Id);
        _simulator.Faults.Add(FaultRule.TruncateBody(0.5).For("GET", "/generated/").Times(2));

        var downloader = new ImageDownloader(Clients.Options(_clock, maxRetries: 4, retries: _retries.Add));
        var (saved, _) = await Drive(downloader.DownloadAsync(new Uri(task.Images![0].Url), DownloadTarget.InDirectory(_folder, created.Id, false)));

        Assert.Equal(_simulator.GetImageBytes(created.Id, 0), File.ReadAllBytes(saved.Path));
        Assert.Equal(new[] { saved.Path }, Directory.GetFiles(_folder));
        Assert.Equal(3, _simulator.Requests.Count(r => r.OnFilesOrigin));
        Assert.Equal(2, _retries.Count);
    }
}
