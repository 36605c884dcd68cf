using System.Globalization;
using System.Text.Json;
using RunApi.Bench.Running;
using RunApi.Bench.Scenarios;
using RunApi.Simulator;

namespace RunApi.Bench.Pipelines;

/// <summary>One pipeline of the module, run in a fresh real pwsh against a fresh simulator in this process.</summary>
/// <param name="Pipeline">What 1..Count "prompt N" strings are piped into; <c>$Folder</c> is a temp folder.</param>
/// <param name="CreateLatency">How long the simulator takes to answer each create (a stand-in for the service's).</param>
public sealed record PipelineRun(string Label, int Count, string Model, GenerationRange Generation, TimeSpan CreateLatency, string Pipeline)
{
    /// <summary>The module to import: out/RunApi, or another build (the baseline of pipeline-journal-overhead).</summary>
    public string? Module { get; init; }

    /// <summary>Run it and read what the script and the simulator saw.</summary>
    public async Task<PipelineResult> MeasureAsync(int seed, TextWriter log)
    {
        var options = new SimulatorOptions { RandomSeed = seed, BalanceCents = 1_000_000_000, GenerationTime = TimeSpan.Zero };
        options.GenerationTimeByModel[Model] = (Generation.Min, Generation.Max);
        var folder = Path.Combine(Path.GetTempPath(), "runapi-bench-pipeline-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            await using var simulator = await RunApiSimulator.StartAsync(options);
            if (CreateLatency > TimeSpan.Zero)
            {
                simulator.Faults.Add(FaultRule.Delay(CreateLatency).For("POST", "/api/v1/imagen_4/"));
            }
            log.WriteLine($"[pipeline] {Label}: {Count} prompts through '{Pipeline}'");
            var outcome = await ChildProcess.RunAsync(BenchPaths.Pwsh,
            [
                "-NoProfile", "-NonInteractive", "-File", Path.Combine(BenchPaths.RepoRoot, "bench", "scripts", "Measure-Pipeline.ps1"),
                "-BaseUri", simulator.BaseUri.ToString(), "-Key", simulator.ApiKey, "-Module", Module ?? BenchPaths.ModuleManifest,
                "-Folder", folder, "-Count", Count.ToString(CultureInfo.InvariantCulture), "-Pipeline", Pipeline,
            ], TimeSpan.FromMinutes(20), workingDirectory: BenchPaths.RepoRoot);
            var json = outcome.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .LastOrDefault(line => line.StartsWith('{'));
            if (outcome.TimedOut || json is null)
            {
                throw new InvalidOperationException($"{Label}: pwsh gave no result (exit {outcome.ExitCode}{(outcome.TimedOut ? ", timed out" : "")}): " +
                                                    outcome.StandardError.Trim());
            }
            var script = JsonDocument.Parse(json).RootElement;
            var tasks = simulator.Tasks.Where(t => t.Model == Model).ToList();
            var result = new PipelineResult(
                TimeSpan.FromSeconds(script.GetProperty("wallSeconds").GetDouble()),
                script.GetProperty("emitted").GetInt32(),
                script.GetProperty("errors").GetInt32(),
                script.GetProperty("peakWorkingSet").GetInt64(),
                tasks.Count == 0 ? TimeSpan.Zero : tasks.Max(t => t.CompletesAt - t.CreatedAt),
                tasks.Count);
            log.WriteLine($"[pipeline] {Label}: {result.Wall.TotalSeconds:0.00} s, {result.Emitted} emitted, {result.Errors} errors, " +
                          $"peak {result.PeakWorkingSet / 1e6:0} MB" +
                          (script.GetProperty("firstError").ValueKind == JsonValueKind.String ? "; first error: " + script.GetProperty("firstError").GetString() : ""));
            return result;
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}

/// <summary>What one pipeline run measured.</summary>
/// <param name="SlowestGeneration">The longest generation time the simulator drew for the run's tasks.</param>
public sealed record PipelineResult(TimeSpan Wall, int Emitted, int Errors, long PeakWorkingSet, TimeSpan SlowestGeneration, int Tasks);
