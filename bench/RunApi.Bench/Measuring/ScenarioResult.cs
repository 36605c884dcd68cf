using RunApi.Bench.Scenarios;

namespace RunApi.Bench.Measuring;

/// <summary>A scenario's two measurements, side by side.</summary>
public sealed record ScenarioResult(Scenario Scenario, ClientMeasurement Ours, ClientMeasurement Baseline)
{
    /// <summary>How many prompts one sequential baseline loop handled: the wall time covers that many in a row.</summary>
    public double BaselinePromptsInARow => Baseline.Prompts / (double)Math.Max(1, Baseline.Lanes);

    /// <summary>
    /// The baseline's wall time scaled linearly to our N (it is sequential, so time grows with the count); as measured
    /// when its lanes ran all of our N prompts at once (the rate-limited scenario).
    /// </summary>
    public TimeSpan? BaselineWallTimeForN => Baseline.WallTime is { } w && Baseline.Prompts > 0
        ? (AllPromptsAtOnce ? w : w * (Scenario.Count / BaselinePromptsInARow))
        : null;

    public bool BaselineExtrapolated => !AllPromptsAtOnce && BaselinePromptsInARow != Scenario.Count;

    private bool AllPromptsAtOnce => Baseline.Prompts == Scenario.Count && Baseline.Lanes == Scenario.Count;
}
