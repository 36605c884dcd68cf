using RunApi.Bench.Measuring;
using static RunApi.Bench.Reporting.Format;

namespace RunApi.Bench.Reporting;

/// <summary>The rows of a phased scenario: the whole run, then each phase's looks and delays, ours beside the baseline's.</summary>
public static class PhaseRows
{
    public static IEnumerable<Row> Measure(ScenarioResult r)
    {
        var s = r.Scenario;
        var name = s.Name;
        var phases = s.PhasesRun;
        yield return new Row(name, Metrics.WallTime, Invariant($"wall time, {s.Count} prompts in {phases.Count} phases"),
            Seconds(r.Ours.WallTime, "0.0"), Seconds(r.Baseline.WallTime, "0.0"), Ratio(r.Ours.WallTime?.TotalSeconds, r.Baseline.WallTime?.TotalSeconds));

        for (var p = 0; p < phases.Count; p++)
        {
            var label = Invariant($"phase {p + 1} ({phases[p]})");
            var ours = r.Ours.TasksOf(p);
            var baseline = r.Baseline.TasksOf(p);
            var oursPolls = ClientMeasurement.PollsPerImageOf(ours);
            var baselinePolls = ClientMeasurement.PollsPerImageOf(baseline);
            yield return new Row(name, Metrics.PhasePolls(p), $"{label}: polls per image",
                Number(oursPolls), Number(baselinePolls), Ratio(oursPolls, baselinePolls));

            var oursDelay = ClientMeasurement.DelayMedianOf(ours);
            var baselineDelay = ClientMeasurement.DelayMedianOf(baseline);
            yield return new Row(name, Metrics.PhaseDelayMedian(p), $"{label}: detection delay, median",
                Seconds(oursDelay) + Invariant($" (n={ours.Count})"), Seconds(baselineDelay) + Invariant($" (n={baseline.Count})"),
                Ratio(oursDelay?.TotalSeconds, baselineDelay?.TotalSeconds));

            var oursLatest = ClientMeasurement.LatestFoundAfterCreate(ours);
            var baselineLatest = ClientMeasurement.LatestFoundAfterCreate(baseline);
            yield return new Row(name, Metrics.PhaseFoundLatest(p), $"{label}: found after its create, latest",
                Seconds(oursLatest), Seconds(baselineLatest), Ratio(oursLatest?.TotalSeconds, baselineLatest?.TotalSeconds));
        }

        yield return new Row(name, Metrics.Cpu, "client CPU per image",
            Milliseconds(r.Ours.CpuMillisecondsPerImage), Milliseconds(r.Baseline.CpuMillisecondsPerImage),
            Ratio(r.Ours.CpuMillisecondsPerImage, r.Baseline.CpuMillisecondsPerImage));
        if (r.Ours.Errors.Count > 0 || r.Baseline.Errors.Count > 0)
        {
            yield return new Row(name, Metrics.Failures, "prompts that failed", ScenarioRows.Failures(r.Ours), ScenarioRows.Failures(r.Baseline), None);
        }
    }
}
