using RunApi.Bench.Import;
using RunApi.Bench.Measuring;
using static RunApi.Bench.Reporting.Format;

namespace RunApi.Bench.Reporting;

/// <summary>
/// The import rows. "Ours" is the built RunApi module; the baseline column is the empty-runspace baseline (the time
/// to open the runspace) for the first row and an empty manifest module (the engine's own cold import path) for the
/// second, so the module's own cost is visible.
/// </summary>
public static class ImportRows
{
    public const string Scenario = "import";

    public static IEnumerable<Row> For(ImportResult result)
    {
        var runs = result.Module.Count;
        var moduleImport = Stats.Median(result.Module.Select(s => s.ImportMs));
        var open = Stats.Median(result.Module.Concat(result.EmptyManifest).Select(s => s.OpenMs));
        var emptyImport = Stats.Median(result.EmptyManifest.Select(s => s.ImportMs));

        yield return new Row(Scenario, "import-vs-runspace", Invariant($"cold Import-Module RunApi, median of {runs} (baseline: opening an empty runspace)"),
            Spread(result.Module.Select(s => s.ImportMs)), Spread(result.Module.Concat(result.EmptyManifest).Select(s => s.OpenMs)),
            Ratio(moduleImport, open));
        yield return new Row(Scenario, "import-vs-empty", "cold Import-Module RunApi vs. an empty manifest module (engine's own cold import)",
            Milliseconds(moduleImport, "0"), Spread(result.EmptyManifest.Select(s => s.ImportMs)), Ratio(moduleImport, emptyImport));
        yield return new Row(Scenario, "module-share", "RunApi's own share (RunApi − empty manifest, medians)",
            Milliseconds(moduleImport - emptyImport, "0"), None, None);
        var moduleWarm = Stats.Median(result.ModuleFormatsWarm.Select(s => s.ImportMs));
        var emptyWarm = Stats.Median(result.EmptyManifestFormatsWarm.Select(s => s.ImportMs));
        yield return new Row(Scenario, "import-formats-warm", "Import-Module RunApi once the format tables are loaded (as in a pwsh session that has shown output) vs. an empty manifest the same way",
            Spread(result.ModuleFormatsWarm.Select(s => s.ImportMs)), Spread(result.EmptyManifestFormatsWarm.Select(s => s.ImportMs)), Ratio(moduleWarm, emptyWarm));
        yield return new Row(Scenario, "module-share-formats-warm", "RunApi's own share once the format tables are loaded (medians)",
            Milliseconds(moduleWarm - emptyWarm, "0"), None, None);
        yield return new Row(Scenario, "process", "whole child process, start to exit (RunApi vs. empty manifest)",
            Spread(result.Module.Select(s => s.ProcessMs)), Spread(result.EmptyManifest.Select(s => s.ProcessMs)),
            Ratio(Stats.Median(result.Module.Select(s => s.ProcessMs)), Stats.Median(result.EmptyManifest.Select(s => s.ProcessMs))));
    }
}
