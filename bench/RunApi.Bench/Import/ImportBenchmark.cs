using System.Text.Json;
using RunApi.Bench.Running;

namespace RunApi.Bench.Import;

/// <summary>
/// Cold Import-Module of the built module on the PowerShell 7.6 engine: each sample is a fresh RunApi.ImportTimer
/// process. A control module (an empty manifest) is imported the same way, alternately, so the engine's own cold
/// import path (it is the first command of the runspace) can be told apart from the module's share.
/// </summary>
public static class ImportBenchmark
{
    private static readonly TimeSpan PerRunLimit = TimeSpan.FromSeconds(60);

    public static async Task<ImportResult> RunAsync(int runs, TextWriter progress)
    {
        var manifest = BenchPaths.ModuleManifest;
        if (!File.Exists(manifest))
        {
            throw new FileNotFoundException($"The module is not built: run 'dotnet build src/RunApi.PowerShell -c Release' first ({manifest}).");
        }

        var controlFolder = Path.Combine(Path.GetTempPath(), "runapi-bench-empty-module-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(controlFolder);
        var control = Path.Combine(controlFolder, "Empty.psd1");
        await File.WriteAllTextAsync(control, "@{ ModuleVersion = '1.0.0' }\n");
        try
        {
            var module = new List<ImportSample>();
            var empty = new List<ImportSample>();
            for (var i = 0; i < runs; i++)
            {
                progress.WriteLine($"[import] run {i + 1} of {runs}");
                module.Add(await MeasureAsync(manifest));
                empty.Add(await MeasureAsync(control));
            }
            return new ImportResult(module, empty);
        }
        finally
        {
            Directory.Delete(controlFolder, recursive: true);
        }
    }

    private static async Task<ImportSample> MeasureAsync(string manifest)
    {
        var outcome = await ChildProcess.RunAsync(BenchPaths.ImportTimer, ["--module", manifest], PerRunLimit);
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
