namespace RunApi.Bench.Scenarios;

/// <summary>
/// A goal the project is judged against, attached to one metric row of a scenario. <see cref="IsMet"/> sees the
/// finished comparison and answers null when it cannot tell (e.g. a metric missing because prompts failed).
/// </summary>
public sealed record Target(string Metric, string Text, Func<Measuring.ScenarioResult, bool?> IsMet);
