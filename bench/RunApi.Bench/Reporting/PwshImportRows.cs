using RunApi.Bench.Import;
using RunApi.Bench.Measuring;
using static RunApi.Bench.Reporting.Format;

namespace RunApi.Bench.Reporting;

/// <summary>The rows of the real-pwsh import: ours is RunApi, the baseline column an empty manifest module.</summary>
public static class PwshImportRows
{
    public static IEnumerable<Row> For(PwshImportResult result)
    {
        const string scenario = PwshImportBenchmark.Scenario;
        var runs = result.Module.Count;
        var process = Stats.Median(result.Module.Select(s => s.ProcessMs));
        var emptyProcess = Stats.Median(result.EmptyModule.Select(s => s.ProcessMs));
        var import = Stats.Median(result.Module.Select(s => s.ImportMs));
        var emptyImport = Stats.Median(result.EmptyModule.Select(s => s.ImportMs));

        yield return new Row(scenario, "pwsh-process", Invariant($"cold pwsh -NoProfile -c 'Import-Module RunApi', start to exit, median of {runs} (baseline: the same with an empty module)"),
            Spread(result.Module.Select(s => s.ProcessMs)), Spread(result.EmptyModule.Select(s => s.ProcessMs)), Ratio(process, emptyProcess));
        yield return new Row(scenario, "pwsh-process-share", "RunApi's share of the cold pwsh (difference of the medians)",
            Milliseconds(process - emptyProcess, "0"), None, None);
        yield return new Row(scenario, "pwsh-import", "Import-Module alone, timed inside that pwsh (RunApi vs. empty module)",
            Spread(result.Module.Select(s => s.ImportMs)), Spread(result.EmptyModule.Select(s => s.ImportMs)), Ratio(import, emptyImport));
        yield return new Row(scenario, "pwsh-import-share", "RunApi's own share of Import-Module (difference of the medians)",
            Milliseconds(import - emptyImport, "0"), None, None);
    }
}
