using RunApi.Client.Errors;
using RunApi.Client.Models;
using RunApi.Client.Tests.Support;
using RunApi.Simulator;

namespace RunApi.Client.Tests;

/// <summary>The poll loop on a fake clock shared by the client and the simulator: no real waiting.</summary>
public class WaitTests : IAsyncLifetime
{
    private static readonly TimeSpan Interval = WaitOptions.SdkPollInterval;
    private static readonly WaitOptions SdkLike = new() { PollInterval = Interval };
    private readonly ObservableClock _clock = new();
    private RunApiSimulator _simulator = null!;

    public async Task InitializeAsync() =>
        _simulator = await RunApiSimulator.StartAsync(new SimulatorOptions { TimeProvider = _clock, GenerationTime = TimeSpan.FromSeconds(5) });

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    private async Task<T> Drive<T>(Task<T> wait, TimeSpan expectedPause)
    {
        var (result, pauses) = await _clock.RunAsync(wait);
        Assert.All(pauses, p => Assert.Equal(expectedPause, p));
        return result;
    }

    private IEnumerable<double> PollSeconds(DateTimeOffset start) =>
        _simulator.Requests.Where(r => r.Method == "GET").Select(r => (r.ReceivedAt - start).TotalSeconds);

    [Fact]
    public async Task With_a_fixed_interval_it_polls_at_once_then_at_that_interval_until_completed()
    {
        var client = Clients.For(_simulator, _clock);
        var created = await client.CreateAsync(new TextToImageRequest("a red cube"));
        var start = _clock.GetUtcNow();

        var task = await Drive(client.WaitAsync(TaskEndpoint.TextToImage, created.Id, SdkLike), Interval);

        Assert.Equal(TaskState.Completed, task.State);
        Assert.Single(task.Images!);
        Assert.Equal(new double[] { 0, 2, 4, 6 }, PollSeconds(start));
    }

    [Fact]
    public async Task A_failed_task_ends_the_wait_with_its_error_and_state()
    {
        var client = Clients.For(_simulator, _clock);
        var created = await client.CreateAsync(new TextToImageRequest("a red cube [fail]"));

        var error = await Assert.ThrowsAsync<RunApiException>(() => Drive(client.WaitAsync(TaskEndpoint.TextToImage, created.Id, SdkLike), Interval));

        Assert.Equal(RunApiErrorKind.TaskFailed, error.Kind);
        Assert.Equal("Generation failed", error.ServiceMessage);
        Assert.Equal(created.Id, error.TaskId);
        Assert.Contains(created.Id, error.Message);
        Assert.Equal("failed", error.Task!.Status);
    }

    [Fact]
    public async Task A_wait_ends_at_its_deadline_naming_the_task_and_its_status()
    {
        var client = Clients.For(_simulator, _clock);
        var created = await client.CreateAsync(new TextToImageRequest("a red cube"));
        var start = _clock.GetUtcNow();
        var options = new WaitOptions { Timeout = TimeSpan.FromSeconds(3), PollInterval = Interval };

        var wait = client.WaitAsync(TaskEndpoint.TextToImage, created.Id, options);
        await _clock.WaitForTimerAsync(Interval);
        _clock.Advance(Interval);
        await _clock.WaitForTimerAsync(TimeSpan.FromSeconds(1)); // the last pause is cut to the deadline
        _clock.Advance(TimeSpan.FromSeconds(1));
        var error = await Assert.ThrowsAsync<RunApiException>(() => wait);

        Assert.Equal(RunApiErrorKind.TaskTimeout, error.Kind);
        Assert.Contains(created.Id, error.Message);
        Assert.Contains("processing", error.Message);
        Assert.Equal(new double[] { 0, 2, 3 }, PollSeconds(start));
    }

    [Fact]
    public async Task Cancelling_ends_a_parked_wait_at_once()
    {
        var client = Clients.For(_simulator, _clock);
        var created = await client.CreateAsync(new TextToImageRequest("a red cube"));
        using var cancel = new CancellationTokenSource();

        var wait = client.WaitAsync(TaskEndpoint.TextToImage, created.Id, SdkLike, cancellationToken: cancel.Token);
        await _clock.WaitForTimerAsync(Interval);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }

    [Fact]
    public async Task A_completed_task_without_images_is_an_invalid_response()
    {
        _simulator.Faults.Add(FaultRule.Respond(200, """{"id":"task_missing","status":"completed"}""").For("GET", "/api/v1/imagen_4/text_to_image/task_missing"));
        var error = await Assert.ThrowsAsync<RunApiException>(() => Clients.For(_simulator, _clock).WaitAsync(TaskEndpoint.TextToImage, "task_missing"));
        Assert.Equal(RunApiErrorKind.InvalidResponse, error.Kind);
    }

    [Fact]
    public async Task A_poll_answer_with_Retry_After_holds_the_next_look_back_that_long()
    {
        var client = Clients.For(_simulator, _clock);
        var created = await client.CreateAsync(new TextToImageRequest("a red cube"));
        _simulator.Faults.Add(FaultRule.Respond(200, $$"""{"id":"{{created.Id}}","status":"processing"}""", ("Retry-After", "3"))
            .For("GET", "/api/v1/imagen_4/text_to_image/" + created.Id).Times(1));
        var start = _clock.GetUtcNow();

        var (task, pauses) = await _clock.RunAsync(client.WaitAsync(TaskEndpoint.TextToImage, created.Id, SdkLike));

        Assert.Equal(TaskState.Completed, task.State);
        Assert.Equal(TimeSpan.FromSeconds(3), pauses[0]); // the service's 3 s over the interval's 2 s
        Assert.Equal(new double[] { 0, 3, 5 }, PollSeconds(start));
    }
}
