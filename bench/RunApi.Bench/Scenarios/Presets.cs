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

    /// <summary>
    /// Several processes on one key, the way users go past one machine (the same script as the shards of a CI matrix):
    /// three workers started together, 100 prompts each, under the simulator's limit of 15 requests a second. The
    /// baseline runs the same way: three processes of 100 concurrent lanes.
    /// </summary>
    public static readonly Scenario RateLimitedProcesses = new Scenario(
        "rate-limited-3-processes",
        "3 processes on one key, 100 prompts of 3 s each, under a limit of 15 requests a second",
        Count: 300, Throttle: 8, BaselineCount: 300, BaselineLanes: 300,
        GenerationRange.Seconds(3, 3), ImageBytes: 0, ArrivalInterval: TimeSpan.Zero, Model,
        ExpectedDuration: "~1.5 min (opt-in)",
        [
            new Target(Metrics.Failures, "ours: 0 lost", r => r.Ours.Errors.Count == 0),
            new Target(Metrics.Refused, "ours ≤ 5% of requests", r => r.Ours.Requests.ApiRequests > 0 ? r.Ours.Requests.Refused * 20 <= r.Ours.Requests.ApiRequests : null),
            new Target(Metrics.RateBound, "ours ≤ 1.3 × bound", r => r.Ours.WallTime is { } w && r.Scenario.RateBound is { } b ? w <= b * 1.3 : null),
        ]) { RateLimit = 15, Processes = 3 };

    /// <summary>The latest first look of imagen-4 whatever was learned (PollTuning.FirstGuess in the client core).</summary>
    private static readonly TimeSpan FirstGuess = TimeSpan.FromSeconds(7);

    /// <summary>
    /// What a real clock adds to a look due at the first guess: the timer's lateness, the look's round trip and the
    /// hand-over to the thread that records it (the fake-clock test holds the schedule itself to the guess exactly).
    /// </summary>
    private static readonly TimeSpan RealClockSlack = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The service gets faster: in one process, 40 tasks of 40 s, then 8 of 1 s, then 8 more. Whatever was learned,
    /// the first fast burst is found by the model's first guess; what it teaches brings the second burst's looks forward.
    /// </summary>
    public static readonly Scenario Shift = Phased(
        "shift",
        "the service gets faster: 40 tasks of 40 s, then 8 of 1 s, then 8 more, in one process",
        [new Phase(40, GenerationRange.Seconds(40, 40)), new Phase(8, GenerationRange.Seconds(1, 1)), new Phase(8, GenerationRange.Seconds(1, 1))],
        "~2 min (opt-in)",
        [
            new Target(Metrics.PhaseFoundLatest(1), "ours ≤ 7 s, the first guess (+ 0.1 s of real clock)",
                r => ClientMeasurement.LatestFoundAfterCreate(r.Ours.TasksOf(1)) is { } latest ? latest <= FirstGuess + RealClockSlack : null),
            new Target(Metrics.PhaseDelayMedian(2), "ours ≤ 1 s",
                r => ClientMeasurement.DelayMedianOf(r.Ours.TasksOf(2)) is { } d ? d <= TimeSpan.FromSeconds(1) : null),
        ]);

    /// <summary>The reverse: 8 tasks of 1 s, then 8 of 40 s; the slow ones take no more looks than 2 s polling.</summary>
    public static readonly Scenario ShiftReverse = Phased(
        "shift-reverse",
        "the service gets slower: 8 tasks of 1 s, then 8 of 40 s, in one process",
        [new Phase(8, GenerationRange.Seconds(1, 1)), new Phase(8, GenerationRange.Seconds(40, 40))],
        "~2 min (opt-in)",
        [
            new Target(Metrics.PhasePolls(1), "ours ≤ baseline",
                r => ClientMeasurement.PollsPerImageOf(r.Ours.TasksOf(1)) is { } o && ClientMeasurement.PollsPerImageOf(r.Baseline.TasksOf(1)) is { } b ? o <= b : null),
        ]);

    /// <summary>Phases of prompts sent all at once; the baseline gives each prompt of a phase its own sequential lane.</summary>
    private static Scenario Phased(string name, string purpose, Phase[] phases, string duration, Target[] targets) => new(
        name, purpose,
        Count: phases.Sum(p => p.Count), Throttle: 32, BaselineCount: phases.Sum(p => p.Count), BaselineLanes: phases.Max(p => p.Count),
        phases[0].Generation, ImageBytes: 0, ArrivalInterval: TimeSpan.Zero, Model, duration, targets) { Phases = phases };

    /// <summary>No target: a starting point for --n, --generation, --arrivals and friends.</summary>
    public static readonly Scenario Custom = new(
        "custom",
        "your own settings (start: 32 prompts, 4–8 s, all at once)",
        Count: 32, Throttle: 32, BaselineCount: 4, BaselineLanes: 1,
        GenerationRange.Seconds(4, 8), ImageBytes: 0, ArrivalInterval: TimeSpan.Zero, Model,
        ExpectedDuration: "depends on the settings",
        []);

    public static readonly IReadOnlyList<Scenario> All = [Arrivals, Fast, Throughput, Memory, RateLimited, RateLimitedProcesses, Shift, ShiftReverse, Custom];

    public static Scenario? Find(string name) => All.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}
