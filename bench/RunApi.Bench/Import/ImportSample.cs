namespace RunApi.Bench.Import;

/// <summary>One fresh process: opening the runspace, Import-Module, and the process from start to exit (ms).</summary>
public sealed record ImportSample(double OpenMs, double ImportMs, double ProcessMs);

/// <summary>The samples of the module under test and of the empty-manifest control, taken alternately.</summary>
public sealed record ImportResult(IReadOnlyList<ImportSample> Module, IReadOnlyList<ImportSample> EmptyManifest);
