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

        // Tasks that complete inside the window are found within one look. The earliest (the window opens at the
        // earliest 30 % of the completions seen) wait for its first look: at most 30 % of the spread, 1.2 s here, plus
        // the look before.
        var withinOneLook = learned.Count(t => t.Delay <= PollSchedule.WindowInterval);
        _output.WriteLine($"{withinOneLook} of {learned.Count} found within one look; longest delay {learned.Max(t => t.Delay).TotalSeconds:0.00} s");
        Assert.True(withinOneLook >= 0.7 * learned.Count, $"{withinOneLook} of {learned.Count} found within one look");
        Assert.All(learned, t => Assert.InRange(t.Delay, TimeSpan.Zero, TimeSpan.FromSeconds(2)));
        var ourDelay = Median(learned.Select(t => t.Delay.TotalSeconds));
        var sdkDelay = Median(learned.Select(t => SdkDelay(t.Generation).TotalSeconds));
        var ours = learned.Sum(t => t.Looks);
        var sdk = learned.Sum(t => SdkLooks(t.Generation));
        _output.WriteLine($"{minSeconds}-{maxSeconds} s: median delay {ourDelay:0.000} s vs {sdkDelay:0.000} s; looks {ours} vs {sdk} ({(double)ours / sdk:0.00}x)");

        Assert.True(ours <= maxLookRatio * sdk, $"{ours} looks where 2 s polling takes {sdk}");
        Assert.True(ourDelay <= 0.5, $"median detection delay {ourDelay:0.00} s");
        Assert.True(ourDelay <= maxDelayRatioOrSeconds * Math.Max(sdkDelay, 1.0), $"median detection delay {ourDelay:0.00} s against {sdkDelay:0.00} s");
    }

    /// <summary>
    /// A service whose times spread widely (20-40 s): the window opens late in the spread, and the lead-in's looks,
    /// 2 s apart, find some of the earlier tasks. Most tasks are found sooner than 2 s polling finds them, for well
    /// under its looks. (Not asserted, because it is not so: the earliest tasks of such a spread are found seconds late,
    /// and the mean delay is printed for that reason.)
    /// </summary>
    [Fact]
    public async Task After_learning_most_widely_spread_tasks_are_found_sooner_than_fixed_polling_finds_them()
    {
        await StartSimulator(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40));
        var client = NewClient();
        for (var i = 0; i < 10; i++) await OneTask(client);

        var learned = new List<(int Looks, TimeSpan Delay, TimeSpan Generation)>();
        for (var i = 0; i < 60; i++) learned.Add(await OneTask(client));

        var ourMedian = Median(learned.Select(t => t.Delay.TotalSeconds));
        var sdkMedian = Median(learned.Select(t => SdkDelay(t.Generation).TotalSeconds));
        var ourMean = learned.Average(t => t.Delay.TotalSeconds);
        var sdkMean = learned.Average(t => SdkDelay(t.Generation).TotalSeconds);
        var ours = learned.Sum(t => t.Looks);
        var sdk = learned.Sum(t => SdkLooks(t.Generation));
        _output.WriteLine($"20-40 s: delay median {ourMedian:0.000} s vs {sdkMedian:0.000} s, mean {ourMean:0.000} s vs {sdkMean:0.000} s, " +
                          $"longest {learned.Max(t => t.Delay).TotalSeconds:0.00} s; looks {ours} vs {sdk} ({(double)ours / sdk:0.00}x)");

        Assert.True(ourMedian <= sdkMedian, $"median detection delay {ourMedian:0.00} s against {sdkMedian:0.00} s");
        Assert.True(ours <= 0.6 * sdk, $"{ours} looks where 2 s polling takes {sdk}");
    }

    [Fact]
    public async Task Before_anything_is_learned_a_lone_task_scouts_with_a_look_at_one_second()
    {
        var client = NewClient();
        var created = await client.CreateAsync(new TextToImageRequest("a lighthouse"));
        var wait = client.WaitAsync(created);

        var firstPause = await _clock.WaitForTimerAsync(ObservableClock.IsPause);

        Assert.Equal(TimeSpan.FromSeconds(1), firstPause);
        Assert.DoesNotContain(_simulator!.Requests, r => r.Method == "GET");
        _clock.Advance(firstPause);
        var (task, _) = await _clock.RunAsync(wait);
        Assert.Equal(TaskState.Completed, task.State);
    }

    /// <summary>
    /// 32 prompts sent at once, as a piped list is: until one task of the model is seen done, only the scouts look;
    /// the others then go straight to the window the first completions show.
    /// </summary>
    [Theory]
    [InlineData(8, 12, 0.75)] // 2 s polling asks about 6.5 times a task; a late first completion saves more
    [InlineData(4, 8, 0.8)]
    public async Task A_batch_started_together_leaves_the_looking_to_a_few_scouts_until_a_task_completes(
        int minSeconds, int maxSeconds, double maxLookRatio)
    {
        await StartSimulator(TimeSpan.FromSeconds(minSeconds), TimeSpan.FromSeconds(maxSeconds));
        var client = NewClient();
        var created = new List<CreatedTask>();
        for (var i = 0; i < 32; i++) created.Add(await client.CreateAsync(new TextToImageRequest($"a lighthouse, take {i}")));

        await _clock.RunTogetherAsync(created.Select(c => client.WaitAsync(c)).ToList());

        var tasks = created.Select(c => _simulator!.FindTask(c.Id)!).ToList();
        var looks = _simulator!.Requests.Where(r => r.Method == "GET").ToList();
        var firstSeenDone = looks.Where(r => tasks.Any(t => r.Path.EndsWith(t.Id) && r.ReceivedAt >= t.CompletesAt)).Min(r => r.ReceivedAt);
        var lookedAtBefore = tasks.Count(t => looks.Any(r => r.Path.EndsWith(t.Id) && r.ReceivedAt < firstSeenDone));
        var delays = tasks.Select(t => looks.Where(r => r.Path.EndsWith(t.Id)).Max(r => r.ReceivedAt) - t.CompletesAt).ToList();
        var ours = looks.Count;
        var sdk = tasks.Sum(t => SdkLooks(t.CompletesAt - t.CreatedAt));
        var ourDelay = Median(delays.Select(d => d.TotalSeconds));
        _output.WriteLine($"{minSeconds}-{maxSeconds} s, 32 at once: {lookedAtBefore} tasks looked at before the first was seen done; " +
                          $"looks {ours} vs {sdk} ({(double)ours / sdk:0.00}x); median delay {ourDelay:0.000} s, longest {delays.Max().TotalSeconds:0.00} s");

        Assert.InRange(lookedAtBefore, 1, CompletionTimes.MaxScouts);
        Assert.All(delays, d => Assert.True(d >= TimeSpan.Zero, "every task is found after it completed, none skipped"));
        Assert.True(ours <= maxLookRatio * sdk, $"{ours} looks where 2 s polling takes {sdk}");
        Assert.True(ourDelay <= 0.5, $"median detection delay {ourDelay:0.00} s");
    }

    /// <summary>
    /// The performance issue's cold batch: 25 prompts 0.4 s apart over 10 s, 8-12 s tasks, nothing learned before.
    /// Then the same batch in a process that starts from those timings (as a scheduled script's next run does).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_batch_arriving_over_ten_seconds_is_found_within_half_a_second_for_at_most_six_tenths_of_the_looks(bool learnedBefore)
    {
        var client = NewClient();
        if (learnedBefore)
        {
            await ArrivingBatch(client);
            _simulator!.ResetRequests();
        }
        var created = await ArrivingBatch(client);

        var tasks = created.Select(c => _simulator!.FindTask(c.Id)!).ToList();
        var looks = _simulator!.Requests.Where(r => r.Method == "GET").ToList();
        var delays = tasks.Select(t => looks.Where(r => r.Path.EndsWith(t.Id)).Max(r => r.ReceivedAt) - t.CompletesAt).ToList();
        var ours = looks.Count;
        var sdk = tasks.Sum(t => SdkLooks(t.CompletesAt - t.CreatedAt));
        var ourDelay = Median(delays.Select(d => d.TotalSeconds));
        _output.WriteLine($"{(learnedBefore ? "learned before" : "cold")}: looks {ours} vs {sdk} ({(double)ours / sdk:0.00}x); " +
                          $"median delay {ourDelay:0.000} s, longest {delays.Max().TotalSeconds:0.00} s");

        Assert.True(ours <= 0.6 * sdk, $"{ours} looks where 2 s polling takes {sdk}");
        Assert.True(ourDelay <= 0.5, $"median detection delay {ourDelay:0.00} s");
    }

    private async Task<List<CreatedTask>> ArrivingBatch(RunApiClient client)
    {
        var created = new CreatedTask?[25];
        async Task Arrive(int i)
        {
            if (i > 0) await _clock.Delay(TimeSpan.FromMilliseconds(400 * i));
            created[i] = await client.CreateAsync(new TextToImageRequest($"a lighthouse, take {i}"));
            await client.WaitAsync(created[i]!);
        }
        await _clock.RunTogetherAsync(Enumerable.Range(0, created.Length).Select(Arrive).ToList());
        return created.Select(c => c!).ToList();
    }

    [Fact]
    public async Task Tasks_standing_by_look_for_themselves_at_twice_the_first_guess_if_the_scouts_have_seen_nothing()
    {
        await StartSimulator(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(25));
        var client = NewClient();
        var created = new List<CreatedTask>();
        for (var i = 0; i < 8; i++) created.Add(await client.CreateAsync(new TextToImageRequest($"a lighthouse, take {i}")));

        await _clock.RunTogetherAsync(created.Select(c => client.WaitAsync(c)).ToList());

        var limit = PollSchedule.StandByLimit(ImagenVariants.Standard);
        var looks = _simulator!.Requests.Where(r => r.Method == "GET").ToList();
        var firstLookAges = created.Select(c => looks.Where(r => r.Path.EndsWith(c.Id)).Min(r => r.ReceivedAt) - _simulator.FindTask(c.Id)!.CreatedAt).ToList();
        Assert.Equal(CompletionTimes.MaxScouts, firstLookAges.Count(age => age < limit));
        Assert.Equal(created.Count - CompletionTimes.MaxScouts, firstLookAges.Count(age => age == limit));
    }

    [Fact]
    public void A_scouts_place_freed_by_a_wait_that_ends_goes_to_a_task_standing_by()
    {
        var seen = new CompletionTimes();
        var scouts = Enumerable.Range(0, CompletionTimes.MaxScouts).Select(_ => seen.TryEnlistScout()).ToList();
        Assert.All(scouts, Assert.NotNull);
        var news = seen.News;
        Assert.Null(seen.TryEnlistScout());

        scouts[0]!.Dispose();
        scouts[0]!.Dispose(); // a second dispose frees nothing more

        Assert.True(news.IsCancellationRequested, "the tasks standing by hear of the free place");
        Assert.NotNull(seen.TryEnlistScout());
        Assert.Null(seen.TryEnlistScout());
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
