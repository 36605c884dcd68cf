using RunApi.Client.Models;
using RunApi.Client.Polling;
using RunApi.Client.Tests.Support;
using RunApi.Simulator;

namespace RunApi.Client.Tests;

/// <summary>
/// The adaptive schedule on a fake clock shared with the simulator: it learns when tasks of a model complete, then
/// finds each within one look and asks fewer times than the SDKs' fixed 2 s polling would.
/// </summary>
public class AdaptivePollingTests(Xunit.Abstractions.ITestOutputHelper _output) : IAsyncLifetime
{
    private readonly ObservableClock _clock = new();
    private RunApiSimulator? _simulator;

    public Task InitializeAsync() => StartSimulator(TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(12));

    public async Task DisposeAsync() => await _simulator!.DisposeAsync();

    private async Task StartSimulator(TimeSpan min, TimeSpan max)
    {
        if (_simulator is not null) await _simulator.DisposeAsync();
        var options = new SimulatorOptions { TimeProvider = _clock, RandomSeed = 7 };
        options.GenerationTimeByModel[ImagenVariants.Standard] = (min, max);
        _simulator = await RunApiSimulator.StartAsync(options);
    }

    private RunApiClient NewClient()
    {
        var options = Clients.Options(_clock);
        options.Timings = new CompletionTimesRegistry();
        return new RunApiClient(new Configuration.RunApiSettings(_simulator!.BaseUri, new Configuration.ApiKey(_simulator!.ApiKey)), options);
    }

    /// <summary>One task, created and waited for; returns the looks it took and how long after completion it was found.</summary>
    private async Task<(int Looks, TimeSpan Delay, TimeSpan Generation)> OneTask(RunApiClient client)
    {
        var created = await client.CreateAsync(new TextToImageRequest("a lighthouse"));
        await _clock.RunAsync(client.WaitAsync(created));
        var task = _simulator!.FindTask(created.Id)!;
        var looks = _simulator!.Requests.Count(r => r.Method == "GET" && r.Path.EndsWith(created.Id));
        return (looks, _clock.GetUtcNow() - task.CompletesAt, task.CompletesAt - task.CreatedAt);
    }

    /// <summary>The SDKs look at once and then every 2 s: the look that finds a task of this length is the ceil(T/2)-th after the first.</summary>
    private static int SdkLooks(TimeSpan generation) => (int)Math.Ceiling(generation.TotalSeconds / 2) + 1;

    /// <summary>The SDKs find a task at the first even second after it completes.</summary>
    private static TimeSpan SdkDelay(TimeSpan generation) => TimeSpan.FromSeconds(2 * Math.Ceiling(generation.TotalSeconds / 2)) - generation;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>The targets of the performance issue, as properties of the schedule on a fake clock.</summary>
    [Theory]
    [InlineData(8, 12, 0.6, 0.5)]  // 8-12 s tasks: at most 0.6x the looks, median delay at most 0.5 s
    [InlineData(4, 8, 1.0, 0.5)]   // 4-8 s tasks: no more looks, at most half the SDKs' median delay (about 1 s)
    public async Task After_learning_tasks_are_found_sooner_and_with_fewer_looks_than_fixed_polling(
        int minSeconds, int maxSeconds, double maxLookRatio, double maxDelayRatioOrSeconds)
    {
        await StartSimulator(TimeSpan.FromSeconds(minSeconds), TimeSpan.FromSeconds(maxSeconds));
        var client = NewClient();
        for (var i = 0; i < 5; i++) await OneTask(client);

        var learned = new List<(int Looks, TimeSpan Delay, TimeSpan Generation)>();
        for (var i = 0; i < 60; i++) learned.Add(await OneTask(client));

        // Tasks that complete inside the window are found within one look; the few done before it opens, at its first.
        Assert.True(learned.Count(t => t.Delay <= PollSchedule.WindowInterval) >= 0.9 * learned.Count);
        Assert.All(learned, t => Assert.InRange(t.Delay, TimeSpan.Zero, PollSchedule.WindowInterval * 2));
        var ourDelay = Median(learned.Select(t => t.Delay.TotalSeconds));
        var sdkDelay = Median(learned.Select(t => SdkDelay(t.Generation).TotalSeconds));
        var ours = learned.Sum(t => t.Looks);
        var sdk = learned.Sum(t => SdkLooks(t.Generation));
        _output.WriteLine($"{minSeconds}-{maxSeconds} s: median delay {ourDelay:0.000} s vs {sdkDelay:0.000} s; looks {ours} vs {sdk} ({(double)ours / sdk:0.00}x)");

        Assert.True(ours <= maxLookRatio * sdk, $"{ours} looks where 2 s polling takes {sdk}");
        Assert.True(ourDelay <= 0.5, $"median detection delay {ourDelay:0.00} s");
        Assert.True(ourDelay <= maxDelayRatioOrSeconds * Math.Max(sdkDelay, 1.0), $"median detection delay {ourDelay:0.00} s against {sdkDelay:0.00} s");
    }

    [Fact]
    public async Task Before_anything_is_learned_the_first_look_waits_for_half_the_first_guess()
    {
        var client = NewClient();
        var created = await client.CreateAsync(new TextToImageRequest("a lighthouse"));
        var wait = client.WaitAsync(created);

        var firstPause = await _clock.WaitForTimerAsync(ObservableClock.IsPause);

        Assert.Equal(TimeSpan.FromTicks(PollSchedule.FirstGuess(ImagenVariants.Standard).Ticks / 2), firstPause);
        Assert.DoesNotContain(_simulator!.Requests, r => r.Method == "GET");
        _clock.Advance(firstPause);
        var (task, _) = await _clock.RunAsync(wait);
        Assert.Equal(TaskState.Completed, task.State);
    }

    [Fact]
    public async Task A_task_waited_for_by_id_alone_is_looked_at_at_once()
    {
        var client = NewClient();
        var created = await client.CreateAsync(new TextToImageRequest("a lighthouse"));
        _clock.Advance(TimeSpan.FromSeconds(30));

        var task = await client.WaitAsync(TaskEndpoint.TextToImage, created.Id);

        Assert.Equal(TaskState.Completed, task.State);
        Assert.Single(_simulator!.Requests, r => r.Method == "GET");
    }
}
