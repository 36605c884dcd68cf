using System.Text.Json;
using RunApi.Bench.Running;

namespace RunApi.Bench.Import;

/// <summary>
/// Cold Import-Module of the built module on the PowerShell 7.6 engine: each sample is a fresh RunApi.ImportTimer
/// process. A control module (an empty manifest) is imported the same way, alternately, so the engine's own cold
/// import path (it is the first command of the runspace) can be told apart from the module's share. Both are measured
/// again after a module holding only a small format file: the first format file a runspace loads builds the engine's
/// format tables (tens of ms, for any module), which a pwsh session that has shown output has already done.
/// </summary>
public static class ImportBenchmark
{
    private static readonly TimeSpan PerRunLimit = TimeSpan.FromSeconds(60);

    public static async Task<ImportResult> RunAsync(string manifest, int runs, TextWriter progress)
    {
        if (!File.Exists(manifest))
        {
            throw new FileNotFoundException($"The module is not built: run 'dotnet build src/RunApi.PowerShell -c Release' first ({manifest}).");
        }

        var controlFolder = Path.Combine(Path.GetTempPath(), "runapi-bench-empty-module-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(controlFolder);
        var control = Path.Combine(controlFolder, "Empty.psd1");
        await File.WriteAllTextAsync(control, "@{ ModuleVersion = '1.0.0' }\n");
        var formats = Path.Combine(controlFolder, "Formats.psd1");
        await File.WriteAllTextAsync(formats, "@{ ModuleVersion = '1.0.0'; FormatsToProcess = @('Formats.Format.ps1xml') }\n");
        await File.WriteAllTextAsync(Path.Combine(controlFolder, "Formats.Format.ps1xml"), FormatFile);
        try
        {
            var module = new List<ImportSample>();
            var empty = new List<ImportSample>();
            var moduleWarm = new List<ImportSample>();
            var emptyWarm = new List<ImportSample>();
            for (var i = 0; i < runs; i++)
            {
                progress.WriteLine($"[import] run {i + 1} of {runs}");
                module.Add(await MeasureAsync(manifest, null));
                empty.Add(await MeasureAsync(control, null));
                moduleWarm.Add(await MeasureAsync(manifest, formats));
                emptyWarm.Add(await MeasureAsync(control, formats));
            }
            return new ImportResult(module, empty, moduleWarm, emptyWarm);
        }
        finally
        {
            Directory.Delete(controlFolder, recursive: true);
        }
    }

    /// <summary>One view of a type nothing emits: the smallest format file that makes the engine load its tables.</summary>
    private const string FormatFile = """
        <?xml version="1.0" encoding="utf-8"?>
        <Configuration><ViewDefinitions><View><Name>Bench.Warm</Name>
          <ViewSelectedBy><TypeName>Bench.Warm</TypeName></ViewSelectedBy>
          <TableControl><TableHeaders><TableColumnHeader /></TableHeaders>
            <TableRowEntries><TableRowEntry><TableColumnItems><TableColumnItem><PropertyName>A</PropertyName></TableColumnItem></TableColumnItems></TableRowEntry></TableRowEntries>
          </TableControl></View></ViewDefinitions></Configuration>
        """;

    private static async Task<ImportSample> MeasureAsync(string manifest, string? after)
    {
        string[] arguments = after is null ? ["--module", manifest] : ["--module", manifest, "--after", after];
        var outcome = await ChildProcess.RunAsync(BenchPaths.ImportTimer, arguments, PerRunLimit);
        if (outcome.TimedOut || outcome.ExitCode != 0)
        {
            throw new InvalidOperationException($"Import-Module {manifest} failed (exit {outcome.ExitCode}): {outcome.StandardError.Trim()}");
        }

        using var json = JsonDocument.Parse(outcome.StandardOutput);
        return new ImportSample(
            json.RootElement.GetProperty("openMs").GetDouble(),
            json.RootElement.GetProperty("importMs").GetDouble(),
            outcome.Elapsed.TotalMilliseconds);
    }
}
