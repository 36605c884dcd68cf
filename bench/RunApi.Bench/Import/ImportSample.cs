namespace RunApi.Bench.Import;

/// <summary>One fresh process: opening the runspace, Import-Module, and the process from start to exit (ms).</summary>
public sealed record ImportSample(double OpenMs, double ImportMs, double ProcessMs);

/// <summary>
/// The samples of the module under test and of the empty-manifest control, taken alternately: cold, and again with the
/// engine's format tables loaded first (by a module holding only a small format file).
/// </summary>
public sealed record ImportResult(
    IReadOnlyList<ImportSample> Module,
    IReadOnlyList<ImportSample> EmptyManifest,
    IReadOnlyList<ImportSample> ModuleFormatsWarm,
    IReadOnlyList<ImportSample> EmptyManifestFormatsWarm);
