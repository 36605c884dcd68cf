namespace RunApi.Bench.Reporting;

/// <summary>One line of the results table. <see cref="Key"/> ties it to a scenario's targets.</summary>
public sealed record Row(string Scenario, string Key, string Metric, string Ours, string Baseline, string Ratio, string Target = "", string Met = "");
