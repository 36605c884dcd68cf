using RunApi.Bench.Measuring;
using static RunApi.Bench.Reporting.Format;

namespace RunApi.Bench.Reporting;

/// <summary>The rows of one scenario: each metric for ours and the baseline, their ratio, and any target on it.</summary>
public static class ScenarioRows
{
    public static IEnumerable<Row> For(ScenarioResult result)
    {
        var rows = (result.Scenario.Phases is null ? Measure(result) : PhaseRows.Measure(result)).ToList();
        foreach (var row in rows)
        {
            var target = result.Scenario.Targets.FirstOrDefault(t => t.Metric == row.Key);
            yield return target is null ? row : row with { Target = target.Text, Met = Met(target.IsMet(result)) };
        }
    }

    private static IEnumerable<Row> Measure(ScenarioResult r)
    {
        var s = r.Scenario;
        var ours = r.Ours;
        var baseline = r.Baseline;
        var name = s.Name;
        var inARow = r.BaselinePromptsInARow;
        var lanes = baseline.Lanes > 1 ? Invariant($" in a row (each of {baseline.Lanes} lanes)") : "";

        var baselineWall = r.BaselineExtrapolated
            ? Invariant($"{Seconds(r.BaselineWallTimeForN, "0")} for {s.Count}, extrapolated ×{s.Count / inARow:0.##} from {Seconds(baseline.WallTime, "0.0")} for {inARow:0.#}{lanes}")
            : Seconds(baseline.WallTime, "0.0");
        yield return new Row(name, Metrics.WallTime, Invariant($"wall time, {s.Count} prompts"),
            Seconds(ours.WallTime, "0.0"), baselineWall, Ratio(ours.WallTime?.TotalSeconds, r.BaselineWallTimeForN?.TotalSeconds));

        if (s.AllAtOnce && s.Generation.IsFixed)
        {
            var ideal = s.IdealWallTime;
            yield return new Row(name, Metrics.Ideal, Invariant($"wall ÷ ideal (slowest generation + 1 s = {ideal.TotalSeconds:0} s)"),
                Number(ours.WallTime / ideal) + "×", Number(r.BaselineWallTimeForN / ideal, "0.0") + "× (extrapolated)", None);
        }

        if (s.RateBound is { } bound)
        {
            yield return new Row(name, Metrics.RateBound, Invariant($"wall ÷ bound (2 requests a prompt at {s.RateLimit} a second = {bound.TotalSeconds:0} s)"),
                Number(ours.WallTime / bound) + "×", Number(r.BaselineWallTimeForN / bound) + "×", None);
            yield return new Row(name, Metrics.Refused, "API requests answered 429",
                Share(ours.Requests), Share(baseline.Requests), None);
            yield return new Row(name, Metrics.Failures, "prompts lost (failed)",
                Failures(ours), Failures(baseline), None);
        }

        yield return PerImage(name, Metrics.Creates, "creates per image", ours.CreatesPerImage, baseline.CreatesPerImage);
        yield return PerImage(name, Metrics.Polls, "polls (task GETs) per image", ours.PollsPerImage, baseline.PollsPerImage);
        yield return PerImage(name, Metrics.Downloads, "downloads per image", ours.DownloadsPerImage, baseline.DownloadsPerImage);

        yield return new Row(name, Metrics.DelayMedian, "detection delay, median",
            Seconds(ours.DelayMedian) + Invariant($" (n={ours.DetectionDelays.Count})"),
            Seconds(baseline.DelayMedian) + Invariant($" (n={baseline.DetectionDelays.Count})"),
            Ratio(ours.DelayMedian?.TotalSeconds, baseline.DelayMedian?.TotalSeconds));
        yield return new Row(name, Metrics.DelayP95, "detection delay, p95",
            Seconds(ours.DelayP95), Seconds(baseline.DelayP95), Ratio(ours.DelayP95?.TotalSeconds, baseline.DelayP95?.TotalSeconds));

        if (!s.AllAtOnce)
        {
            // Prompts that arrive over time let a client use what earlier tasks showed; this split shows whether it does.
            var lateOurs = ours.TasksAfterFirstCompletion.Count;
            var lateBaseline = baseline.TasksAfterFirstCompletion.Count;
            yield return new Row(name, Metrics.PollsAfterFirst, "polls per image, tasks created after the client saw its first completion",
                Number(ours.PollsPerImageAfterFirstCompletion) + Invariant($" (n={lateOurs})"),
                Number(baseline.PollsPerImageAfterFirstCompletion) + Invariant($" (n={lateBaseline})"),
                Ratio(ours.PollsPerImageAfterFirstCompletion, baseline.PollsPerImageAfterFirstCompletion));
            yield return new Row(name, Metrics.DelayMedianAfterFirst, "detection delay median, same tasks",
                Seconds(ours.DelayMedianAfterFirstCompletion), Seconds(baseline.DelayMedianAfterFirstCompletion),
                Ratio(ours.DelayMedianAfterFirstCompletion?.TotalSeconds, baseline.DelayMedianAfterFirstCompletion?.TotalSeconds));
        }

        yield return new Row(name, Metrics.Cpu, "client CPU per image",
            Milliseconds(ours.CpuMillisecondsPerImage), Milliseconds(baseline.CpuMillisecondsPerImage),
            Ratio(ours.CpuMillisecondsPerImage, baseline.CpuMillisecondsPerImage));
        var processes = s.Processes > 1 ? Invariant($", {s.Processes} processes together") : "";
        yield return new Row(name, Metrics.WarmupCpu, $"client CPU, warm-up (3 instant prompts: JIT, first connections){processes}",
            Milliseconds(ours.WarmupCpuMilliseconds, "0"), Milliseconds(baseline.WarmupCpuMilliseconds, "0"),
            Ratio(ours.WarmupCpuMilliseconds, baseline.WarmupCpuMilliseconds));
        yield return new Row(name, Metrics.PeakWorkingSet, s.Processes > 1 ? "client peak working set (after warm-up), the largest process" : "client peak working set (after warm-up)",
            Invariant($"{Megabytes(ours.PeakWorkingSetBytes)} ({Megabytes(ours.StartWorkingSetBytes)})"),
            Invariant($"{Megabytes(baseline.PeakWorkingSetBytes)} ({Megabytes(baseline.StartWorkingSetBytes)})"),
            Ratio(ours.PeakWorkingSetBytes, baseline.PeakWorkingSetBytes));
        yield return new Row(name, Metrics.Connections, $"TCP connections opened: API origin / files origin{processes}",
            Invariant($"{ours.ApiConnections} / {ours.FilesConnections}"),
            Invariant($"{baseline.ApiConnections} / {baseline.FilesConnections}"),
            Ratio(ours.ApiConnections, baseline.ApiConnections));

        if (s.RateBound is null && (ours.Errors.Count > 0 || baseline.Errors.Count > 0))
        {
            yield return new Row(name, Metrics.Failures, "prompts that failed",
                Failures(ours), Failures(baseline), None);
        }
    }

    private static Row PerImage(string scenario, string key, string metric, double? ours, double? baseline) =>
        new(scenario, key, metric, Number(ours), Number(baseline), Ratio(ours, baseline));

    private static string Share(RequestCounts requests) =>
        requests.ApiRequests == 0 ? "-" : Invariant($"{requests.Refused} of {requests.ApiRequests} ({100.0 * requests.Refused / requests.ApiRequests:0.#}%)");

    internal static string Failures(ClientMeasurement m) =>
        m.Errors.Count == 0 ? "0" : Invariant($"{m.Errors.Count} of {m.Prompts}; first: {m.Errors[0].Replace('|', '/')}");
}
