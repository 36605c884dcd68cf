namespace RunApi.Bench.Measuring;

/// <summary>The keys of the metric rows, so targets can name the row they judge.</summary>
public static class Metrics
{
    public const string WallTime = "wall";
    public const string Ideal = "ideal";
    public const string Creates = "creates";
    public const string Polls = "polls";
    public const string Downloads = "downloads";
    public const string DelayMedian = "delay-median";
    public const string DelayP95 = "delay-p95";
    public const string PollsAfterFirst = "polls-after-first";
    public const string DelayMedianAfterFirst = "delay-median-after-first";
    public const string Cpu = "cpu";
    public const string WarmupCpu = "cpu-warmup";
    public const string PeakWorkingSet = "peak-ws";
    public const string Connections = "connections";
    public const string Failures = "failures";
    public const string Refused = "refused";
    public const string RateBound = "rate-bound";

    public static string PhasePolls(int phase) => $"polls-phase-{phase}";
    public static string PhaseDelayMedian(int phase) => $"delay-median-phase-{phase}";
    public static string PhaseFoundLatest(int phase) => $"found-latest-phase-{phase}";
}
