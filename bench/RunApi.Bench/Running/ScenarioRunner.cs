using RunApi.Bench.Measuring;
using RunApi.Bench.Scenarios;

namespace RunApi.Bench.Running;

/// <summary>Runs a scenario for our client, then for the baseline (one after the other, so neither slows the other).</summary>
public static class ScenarioRunner
{
    public static async Task<ScenarioResult> RunAsync(Scenario scenario, int seed, TextWriter progress)
    {
        progress.WriteLine($"[{scenario.Name}] ours: {scenario.Count} prompts, throttle {scenario.Throttle} ...");
        var ours = await ClientRunner.RunAsync(scenario, ClientRunner.Ours, seed, progress);
        progress.WriteLine($"[{scenario.Name}]   done in {ours.WallTime?.TotalSeconds:0.0} s; baseline: {scenario.BaselineCount} prompts, sequential ...");
        var baseline = await ClientRunner.RunAsync(scenario, ClientRunner.Baseline, seed, progress);
        progress.WriteLine($"[{scenario.Name}]   done in {baseline.WallTime?.TotalSeconds:0.0} s");
        WarnIfClocksDisagree(scenario, ours, progress);
        WarnIfClocksDisagree(scenario, baseline, progress);
        return new ScenarioResult(scenario, ours, baseline);
    }

    /// <summary>
    /// A client cannot see a completion before the simulator makes it, so a clearly negative delay means the two
    /// processes' clocks disagree and the delays cannot be trusted. (A few ms either way is timer resolution.)
    /// </summary>
    private static void WarnIfClocksDisagree(Scenario scenario, ClientMeasurement measurement, TextWriter progress)
    {
        var earliest = measurement.DetectionDelays.DefaultIfEmpty().Min();
        if (earliest < TimeSpan.FromMilliseconds(-5))
        {
            progress.WriteLine($"[{scenario.Name}] WARNING: {measurement.Client} saw a completion {-earliest.TotalMilliseconds:0} ms before the simulator made it; detection delays are suspect.");
        }
    }
}
