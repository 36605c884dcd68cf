using System.Globalization;

namespace RunApi.Bench.Scenarios;

/// <summary>
/// One side-by-side measurement: our client with <see cref="Count"/> prompts (at most <see cref="Throttle"/> at
/// once) and the sequential SDK-like baseline with <see cref="BaselineCount"/> prompts, each against a fresh simulator
/// configured the same way. The baseline's prompts are shared among <see cref="BaselineLanes"/> independent sequential
/// loops: more samples of its per-prompt behaviour in the same time; its wall time is extrapolated from one loop.
/// </summary>
public sealed record Scenario(
    string Name,
    string Purpose,
    int Count,
    int Throttle,
    int BaselineCount,
    int BaselineLanes,
    GenerationRange Generation,
    int ImageBytes,
    TimeSpan ArrivalInterval,
    string Model,
    string ExpectedDuration,
    IReadOnlyList<Target> Targets)
{
    public bool AllAtOnce => ArrivalInterval == TimeSpan.Zero;

    /// <summary>
    /// Phases run one after the other in one worker process, each starting when the one before has ended, the
    /// simulator's generation time switched between them; null for one phase of <see cref="Count"/> prompts.
    /// </summary>
    public IReadOnlyList<Phase>? Phases { get; init; }

    /// <summary>
    /// Worker processes on the simulator's one key (the shards of a CI matrix), started together, each with its own
    /// share of <see cref="Count"/> and <see cref="BaselineCount"/>; measured as one: requests and prompts of all.
    /// </summary>
    public int Processes { get; init; } = 1;

    /// <summary>The phases as run: those given, or one of every prompt.</summary>
    public IReadOnlyList<Phase> PhasesRun => Phases ?? [new Phase(Count, Generation)];

    /// <summary>The simulator's per-key limit of API requests a second; null for none.</summary>
    public double? RateLimit { get; init; }

    /// <summary>Under a rate limit, the least wall time: one create and one poll per prompt at the limit.</summary>
    public TimeSpan? RateBound => RateLimit is { } rate ? TimeSpan.FromSeconds(2.0 * Count / rate) : null;

    /// <summary>
    /// The slowest generation plus a second: every prompt sent at once (creates hold a place only until answered,
    /// which takes milliseconds here, so T does not make waves), the slowest task generated, then found and saved.
    /// </summary>
    public TimeSpan IdealWallTime => Generation.Max + TimeSpan.FromSeconds(1);

    public string Arrivals => AllAtOnce
        ? "all at once"
        : string.Create(CultureInfo.InvariantCulture, $"{1 / ArrivalInterval.TotalSeconds:0.##}/s (one every {ArrivalInterval.TotalMilliseconds:0} ms)");

    public string ImageSize => ImageBytes == 0 ? "small (~2 KB)" : string.Create(CultureInfo.InvariantCulture, $"{ImageBytes / 1048576.0:0.##} MiB");

    public string Describe() => Phases is { } phases
        ? $"{Name}: in one process, one phase after the other: {string.Join(", then ", phases)}; all of a phase at once, T={Throttle}; the baseline the same phases, each prompt of a phase in its own sequential lane; model {Model}"
        : $"{Name}: N={Count}{(Processes > 1 ? $" in {Processes} processes on one key, {Count / Processes} each, started together" : "")}, T={Throttle}, baseline n={BaselineCount} in {BaselineLanes} sequential lane(s){(Processes > 1 ? $" ({BaselineLanes / Processes} per process)" : "")}, generation {Generation}, arrivals {Arrivals}, images {ImageSize}, model {Model}"
          + (RateLimit is { } rate ? string.Create(CultureInfo.InvariantCulture, $", limit {rate} requests/s per key") : "");
}

/// <summary>One phase of a phased scenario: this many prompts, all at once, each generated in this time.</summary>
public sealed record Phase(int Count, GenerationRange Generation)
{
    public override string ToString() => $"{Count} of {Generation}";
}
