using RunApi.Bench.Reporting;
using RunApi.Bench.Scenarios;

namespace RunApi.Bench.Pipelines;

/// <summary>
/// The module's batch engine as users drive it, in real pwsh: the one-liner against New | Wait | Save, a large batch
/// against what the default create concurrency allows, memory as batches grow, and the create limit's effect.
/// </summary>
public static class PipelineBenchmark
{
    public const string Batch = "pipeline-batch";
    public const string Throughput = "pipeline-throughput";
    public const string Memory = "pipeline-memory";
    public const string Limits = "pipeline-limits";

    public static readonly string[] Names = [Batch, Throughput, Memory, Limits];

    /// <summary>The module's default -ThrottleLimit of New-ImagenImage (creates in flight).</summary>
    public const int DefaultCreateLimit = 8;

    /// <summary>A stand-in for the service's create latency, where the create stage's concurrency matters.</summary>
    public static readonly TimeSpan CreateLatency = TimeSpan.FromMilliseconds(100);

    private const string OneLiner = "New-ImagenImage -OutputDirectory $Folder";
    private const string Chained = "New-ImagenImage | Wait-ImagenTask | Save-ImagenImage -OutputDirectory $Folder";

    public static string Describe(string name) => name switch
    {
        Batch => "pipeline-batch: 40 prompts at once, 8–12 s generation, default settings: `New-ImagenImage -OutputDirectory` (ours column) and `New | Wait | Save` (baseline column), each in a fresh pwsh; ideal = slowest generation + 1 s",
        Throughput => $"pipeline-throughput: 1,000 prompts at once, 3 s generation, creates answered after {CreateLatency.TotalMilliseconds:0} ms, the one-liner at default settings; ideal = ceil(1000 / {DefaultCreateLimit}) × {CreateLatency.TotalSeconds:0.0} s + 3 s",
        Memory => "pipeline-memory: peak working set of pwsh for 50,000 against 2,000 streamed prompts (`New-ImagenImage -Model imagen-4-fast -Wait`, 1 s generation), and for 10,000 with `-OutputDirectory -ThrottleLimit 64`",
        Limits => $"pipeline-limits: 1,000 prompts, 3 s generation, creates answered after {CreateLatency.TotalMilliseconds:0} ms, the one-liner at -ThrottleLimit 4, 8, 16 and 32",
        _ => name,
    };

    public static async Task<IReadOnlyList<Row>> RunAsync(string name, int seed, TextWriter log)
    {
        switch (name)
        {
            case Batch:
            {
                var generation = GenerationRange.Seconds(8, 12);
                var one = await new PipelineRun("one-liner", 40, "imagen-4", generation, TimeSpan.Zero, OneLiner).MeasureAsync(seed, log);
                var chained = await new PipelineRun("New | Wait | Save", 40, "imagen-4", generation, TimeSpan.Zero, Chained).MeasureAsync(seed, log);
                var oneIdeal = one.SlowestGeneration + TimeSpan.FromSeconds(1);
                var chainedIdeal = chained.SlowestGeneration + TimeSpan.FromSeconds(1);
                var ratio = one.Wall / chained.Wall;
                return
                [
                    Wall(name, "wall time, 40 prompts (one-liner; New \\| Wait \\| Save)", one, chained, "within 1.1× of each other", ratio is >= 1 / 1.1 and <= 1.1),
                    new Row(name, "ideal", "wall ÷ ideal (slowest generation + 1 s)",
                        Format.Invariant($"{one.Wall / oneIdeal:0.00}× (ideal {oneIdeal.TotalSeconds:0.0} s)"),
                        Format.Invariant($"{chained.Wall / chainedIdeal:0.00}× (ideal {chainedIdeal.TotalSeconds:0.0} s)"), Format.None,
                        "both ≤ 1.2×", Format.Met(one.Wall <= oneIdeal * 1.2 && chained.Wall <= chainedIdeal * 1.2)),
                    Outputs(name, one, chained),
                ];
            }
            case Throughput:
            {
                var run = await new PipelineRun("one-liner", 1000, "imagen-4", GenerationRange.Seconds(3, 3), CreateLatency, OneLiner).MeasureAsync(seed, log);
                var ideal = CreateLatency * Math.Ceiling(1000.0 / DefaultCreateLimit) + TimeSpan.FromSeconds(3);
                return
                [
                    new Row(name, "wall", "wall time, 1,000 prompts (ours; ideal)", Format.Seconds(run.Wall), Format.Seconds(ideal),
                        Format.Ratio(run.Wall.TotalSeconds, ideal.TotalSeconds), "ours ≤ 1.2 × ideal", Format.Met(run.Wall <= ideal * 1.2)),
                    Outputs(name, run, null),
                ];
            }
            case Memory:
            {
                const string Waiting = "New-ImagenImage -Model imagen-4-fast -Wait";
                var second = GenerationRange.Seconds(1, 1);
                var small = await new PipelineRun("2,000 streamed", 2000, "imagen-4-fast", second, TimeSpan.Zero, Waiting).MeasureAsync(seed, log);
                var large = await new PipelineRun("50,000 streamed", 50000, "imagen-4-fast", second, TimeSpan.Zero, Waiting).MeasureAsync(seed, log);
                var saving = await new PipelineRun("10,000 saved", 10000, "imagen-4-fast", second, TimeSpan.Zero,
                    "New-ImagenImage -Model imagen-4-fast -OutputDirectory $Folder -ThrottleLimit 64").MeasureAsync(seed, log);
                return
                [
                    new Row(name, "peak", "pwsh peak working set, 50,000; 2,000 prompts", Format.Megabytes(large.PeakWorkingSet), Format.Megabytes(small.PeakWorkingSet),
                        Format.Ratio(large.PeakWorkingSet, small.PeakWorkingSet), "≤ 1.2×", Format.Met(large.PeakWorkingSet <= small.PeakWorkingSet * 1.2)),
                    new Row(name, "saved", "pwsh peak working set, 10,000 prompts saved at -ThrottleLimit 64", Format.Megabytes(saving.PeakWorkingSet), Format.None, Format.None,
                        "< 200 MB", Format.Met(saving.PeakWorkingSet < 200_000_000)),
                    new Row(name, "wall", "wall time, 50,000; 2,000 prompts", Format.Seconds(large.Wall), Format.Seconds(small.Wall), Format.Ratio(large.Wall.TotalSeconds, small.Wall.TotalSeconds)),
                    Outputs(name, large, small),
                    new Row(name, "saved-out", "10,000 saved: wall time, files written, errors", Format.Seconds(saving.Wall),
                        Format.Invariant($"{saving.Emitted} files, {saving.Errors} errors"), Format.None),
                ];
            }
            case Limits:
            {
                var rows = new List<Row>();
                foreach (var limit in new[] { 4, 8, 16, 32 })
                {
                    var run = await new PipelineRun($"-ThrottleLimit {limit}", 1000, "imagen-4", GenerationRange.Seconds(3, 3), CreateLatency,
                        OneLiner + " -ThrottleLimit " + limit).MeasureAsync(seed, log);
                    var ideal = CreateLatency * Math.Ceiling(1000.0 / limit) + TimeSpan.FromSeconds(3);
                    rows.Add(new Row(name, "limit-" + limit, $"wall time, 1,000 prompts at -ThrottleLimit {limit} (ours; ideal)",
                        Format.Seconds(run.Wall), Format.Seconds(ideal), Format.Ratio(run.Wall.TotalSeconds, ideal.TotalSeconds)));
                }
                return rows;
            }
            default:
                throw new ArgumentException($"Unknown pipeline scenario '{name}'.");
        }
    }

    private static Row Wall(string scenario, string metric, PipelineResult ours, PipelineResult baseline, string target, bool met) =>
        new(scenario, "wall", metric, Format.Seconds(ours.Wall), Format.Seconds(baseline.Wall),
            Format.Ratio(ours.Wall.TotalSeconds, baseline.Wall.TotalSeconds), target, Format.Met(met));

    private static Row Outputs(string scenario, PipelineResult ours, PipelineResult? other) =>
        new(scenario, "outputs", "objects emitted / errors / tasks created",
            Format.Invariant($"{ours.Emitted} / {ours.Errors} / {ours.Tasks}"),
            other is null ? Format.None : Format.Invariant($"{other.Emitted} / {other.Errors} / {other.Tasks}"), Format.None);
}
