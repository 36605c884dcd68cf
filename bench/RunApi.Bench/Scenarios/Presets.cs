using RunApi.Bench.Measuring;

namespace RunApi.Bench.Scenarios;

/// <summary>
/// The preset scenarios, each matching a target the project is judged against. Durations are for this 2-core machine;
/// the baseline is sequential, so it runs fewer prompts (its per-image figures do not depend on how many), in a few
/// independent lanes where its detection-delay median needs more samples than one lane gives in a minute.
/// </summary>
public static class Presets
{
    public const string Model = "imagen-4";

    /// <summary>The scenarios a plain run measures (plus the import benchmark): a few minutes in all.</summary>
    public static readonly string[] DefaultRun = ["arrivals-8-12s", "fast-4-8s", "import"];

    /// <summary>The shape: prompts 0.4 s apart over 10 s, 8–12 s generation, a batch started cold.</summary>
    public static readonly Scenario Arrivals = new(
        "arrivals-8-12s",
        "tasks arriving over time, 8–12 s generation, nothing learned",
        Count: 25, Throttle: 32, BaselineCount: 24, BaselineLanes: 4,
        GenerationRange.Seconds(8, 12), ImageBytes: 0, ArrivalInterval: TimeSpan.FromMilliseconds(400), Model,
        ExpectedDuration: "~1.5 min",
        ArrivalTargets());

    private static Target[] ArrivalTargets() =>
    [
        new Target(Metrics.DelayMedian, "ours ≤ 0.5 s (baseline ≈ 1 s)", r => r.Ours.DelayMedian is { } d ? d.TotalSeconds <= 0.5 : null),
        new Target(Metrics.Polls, "ours ≤ 0.8 × baseline", r => r.Ours.PollsPerImage is { } o && r.Baseline.PollsPerImage is { } b ? o <= 0.8 * b : null),
    ];

    public static readonly Scenario Fast = new(
        "fast-4-8s",
        "a batch of 4–8 s generations, all at once",
        Count: 32, Throttle: 32, BaselineCount: 24, BaselineLanes: 4,
        GenerationRange.Seconds(4, 8), ImageBytes: 0, ArrivalInterval: TimeSpan.Zero, Model,
        ExpectedDuration: "~1 min",
        [
            new Target(Metrics.Polls, "ours ≤ baseline", r => r.Ours.PollsPerImage is { } o && r.Baseline.PollsPerImage is { } b ? o <= b : null),
            new Target(Metrics.DelayMedian, "ours ≤ 0.5 × baseline", r => r.Ours.DelayMedian is { } o && r.Baseline.DelayMedian is { } b ? o <= b / 2 : null),
        ]);

    // 3 s: an odd number of seconds puts a fixed 2 s poll halfway between two polls, which is also its average over
    // random phases (1 s late). A multiple of 2 s would flatter any 2 s poller. Change it with --generation.
    public static readonly Scenario Throughput = new(
        "throughput",
        "1,000 prompts at once, 32 creates in flight, fixed generation time",
        Count: 1000, Throttle: 32, BaselineCount: 5, BaselineLanes: 1,
        GenerationRange.Seconds(3, 3), ImageBytes: 0, ArrivalInterval: TimeSpan.Zero, Model,
        ExpectedDuration: "~2.1 min (opt-in)",
        [
            new Target(Metrics.Ideal, "ours ≤ 1.2 × ideal", r => r.Ours.WallTime is { } w ? w <= r.Scenario.IdealWallTime * 1.2 : null),
        ]);

    public static readonly Scenario Memory = new(
        "memory",
        "1,000 images of 2 MiB each, downloaded",
        Count: 1000, Throttle: 32, BaselineCount: 5, BaselineLanes: 1,
        GenerationRange.Seconds(1, 1), ImageBytes: 2 * 1024 * 1024, ArrivalInterval: TimeSpan.Zero, Model,
        ExpectedDuration: "~1.2 min (opt-in; writes 2 GB to the temp folder, deleted after)",
        [
            new Target(Metrics.PeakWorkingSet, "ours < 200 MB", r => r.Ours.PeakWorkingSetBytes < 200L * 1000 * 1000),
        ]);

    /// <summary>
    /// RunAPI's per-key rate limit, modelled by the simulator at 15 requests a second: ours (one shared request budget)
    /// against the SDK-like baseline run as concurrent lanes, each retrying a 429 twice and then failing.
    /// </summary>
    public static readonly Scenario RateLimited = new Scenario(
        "rate-limited",
        "300 prompts of 3 s under a limit of 15 requests a second",
        Count: 300, Throttle: 8, BaselineCount: 300, BaselineLanes: 300,
        GenerationRange.Seconds(3, 3), ImageBytes: 0, ArrivalInterval: TimeSpan.Zero, Model,
        ExpectedDuration: "~2 min (opt-in)",
        [
            new Target(Metrics.Failures, "ours: 0 lost", r => r.Ours.Errors.Count == 0),
            new Target(Metrics.Refused, "ours ≤ 5% of requests", r => r.Ours.Requests.ApiRequests > 0 ? r.Ours.Requests.Refused * 20 <= r.Ours.Requests.ApiRequests : null),
            new Target(Metrics.RateBound, "ours ≤ 1.2 × bound", r => r.Ours.WallTime is { } w && r.Scenario.RateBound is { } b ? w <= b * 1.2 : null),
        ]) { RateLimit = 15 };

    /// <summary>No target: a starting point for --n, --generation, --arrivals and friends.</summary>
    public static readonly Scenario Custom = new(
        "custom",
        "your own settings (start: 32 prompts, 4–8 s, all at once)",
        Count: 32, Throttle: 32, BaselineCount: 4, BaselineLanes: 1,
        GenerationRange.Seconds(4, 8), ImageBytes: 0, ArrivalInterval: TimeSpan.Zero, Model,
        ExpectedDuration: "depends on the settings",
        []);

    public static readonly IReadOnlyList<Scenario> All = [Arrivals, Fast, Throughput, Memory, RateLimited, Custom];

    public static Scenario? Find(string name) => All.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}
