using System.Diagnostics;
using System.Globalization;
using RunApi.Bench.Reporting;
using RunApi.Bench.Running;
using RunApi.Bench.Scenarios;
using RunApi.Simulator;

namespace RunApi.Bench.Pipelines;

/// <summary>
/// -JournalPath under fire: one batch killed (the whole pwsh process tree, as kill -9) at random points and run again
/// each time, against one simulator; then what it cost against what it made. And what keeping a journal costs.
/// </summary>
public static class ResumeBenchmark
{
    public const string Resume = "pipeline-resume";
    public const string Overhead = "pipeline-journal-overhead";

    private const string Model = "imagen-4";
    private const int Prompts = 1000;
    private const int Kills = 5;

    public static string Describe(string name) => name == Resume
        ? $"pipeline-resume: {Prompts:N0} prompts through `New-ImagenImage -OutputDirectory -JournalPath`, 1–2 s generation, creates answered after 20 ms; pwsh killed {Kills} times at random points (seeded) and run again each time, then once to the end"
        : "pipeline-journal-overhead: 10,000 prompts through `New-ImagenImage -Model imagen-4-fast -OutputDirectory` (1 s generation), with and without `-JournalPath`, three runs of each, alternately (medians); once with creates answered at once, once after 50 ms at -ThrottleLimit 32";

    public static Task<IReadOnlyList<Row>> RunAsync(string name, int seed, TextWriter log) =>
        name == Resume ? ResumeAsync(seed, log) : OverheadAsync(seed, log);

    private static async Task<IReadOnlyList<Row>> ResumeAsync(int seed, TextWriter log)
    {
        var options = new SimulatorOptions { RandomSeed = seed, BalanceCents = 1_000_000_000, GenerationTime = TimeSpan.Zero };
        options.GenerationTimeByModel[Model] = (TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        await using var simulator = await RunApiSimulator.StartAsync(options);
        simulator.Faults.Add(FaultRule.Delay(TimeSpan.FromMilliseconds(20)).For("POST", "/api/v1/imagen_4/"));
        var folder = Path.Combine(Path.GetTempPath(), "runapi-bench-resume-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var random = new Random(seed);
            var clock = Stopwatch.StartNew();
            for (var kill = 1; kill <= Kills; kill++)
            {
                var made = Tasks(simulator);
                var target = made + random.Next(20, (Prompts - made) / (Kills - kill + 2));
                var child = await StartAsync(simulator, folder);
                while (Tasks(simulator) < target && !child.HasExited) await Task.Delay(20);
                KillTree(child);
                log.WriteLine($"[resume] kill {kill}: after {Tasks(simulator)} tasks");
            }
            var last = await StartAsync(simulator, folder);
            await last.WaitForExitAsync();
            var wall = clock.Elapsed;

            var tasks = simulator.Tasks.Where(t => t.Model == Model).ToList();
            var distinct = tasks.Select(t => t.Prompt).Distinct().Count();
            var files = Directory.GetFiles(Path.Combine(folder, "out"), "*.png").Length;
            var charged = (1_000_000_000 - simulator.BalanceCents - WarmUpCents(simulator)) / 8;
            log.WriteLine($"[resume] {files} files, {tasks.Count} tasks for {distinct} prompts, {charged} charged, {wall.TotalSeconds:0} s");
            return
            [
                new Row(Resume, "files", $"files, tasks, prompts with a task, charges, after {Kills} kills and a last run",
                    Format.Invariant($"{files} / {tasks.Count} / {distinct} / {charged}"), Format.Invariant($"{Prompts} each"), Format.None,
                    "all 1,000; 0 paid twice", Format.Met(files == Prompts && tasks.Count == Prompts && distinct == Prompts && charged == Prompts)),
                new Row(Resume, "wall", "wall time, all runs together", Format.Seconds(wall), Format.None, Format.None),
            ];
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    private static int Tasks(RunApiSimulator simulator) => simulator.Tasks.Count(t => t.Model == Model);

    /// <summary>The warm-up prompts' own charges (imagen-4-ultra, 12 cents each), kept out of the count.</summary>
    private static long WarmUpCents(RunApiSimulator simulator) => simulator.Tasks.Count(t => t.Model == "imagen-4-ultra") * 12L;

    private static async Task<Process> StartAsync(RunApiSimulator simulator, string folder)
    {
        var start = new ProcessStartInfo(BenchPaths.Pwsh.FileName) { WorkingDirectory = BenchPaths.RepoRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in BenchPaths.Pwsh.LeadingArguments.Concat(
        [
            "-NoProfile", "-NonInteractive", "-File", Path.Combine(BenchPaths.RepoRoot, "bench", "scripts", "Measure-Pipeline.ps1"),
            "-BaseUri", simulator.BaseUri.ToString(), "-Key", simulator.ApiKey, "-Module", BenchPaths.ModuleManifest,
            "-Folder", folder, "-Count", Prompts.ToString(CultureInfo.InvariantCulture),
            "-Pipeline", "New-ImagenImage -OutputDirectory (Join-Path $Folder 'out') -JournalPath (Join-Path $Folder 'batch.jsonl')",
        ])) start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start pwsh.");
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        await Task.Yield();
        return process;
    }

    /// <summary>SIGKILL to pwsh and every process under it, then wait until all of them are gone.</summary>
    private static void KillTree(Process process)
    {
        var tree = new List<Process>();
        Collect(process.Id, tree);
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
        foreach (var child in tree) child.WaitForExit();
    }

    private static void Collect(int parent, List<Process> tree)
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            foreach (var task in Directory.GetDirectories($"/proc/{parent}/task"))
            {
                foreach (var id in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse))
                {
                    try { tree.Add(Process.GetProcessById(id)); } catch (ArgumentException) { continue; }
                    Collect(id, tree);
                }
            }
        }
        catch (IOException)
        {
        }
    }

    private const int Rounds = 3;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted[sorted.Count / 2];
    }

    private static async Task<IReadOnlyList<Row>> OverheadAsync(int seed, TextWriter log)
    {
        var rows = new List<Row>();
        rows.AddRange(await OverheadAsync(seed, log, "", TimeSpan.Zero, "creates answered at once"));
        rows.AddRange(await OverheadAsync(seed, log, " -ThrottleLimit 32", TimeSpan.FromMilliseconds(50), "creates answered after 50 ms, -ThrottleLimit 32"));
        return rows;
    }

    private static async Task<IReadOnlyList<Row>> OverheadAsync(int seed, TextWriter log, string options, TimeSpan createLatency, string label)
    {
        var plain = "New-ImagenImage -Model imagen-4-fast -OutputDirectory (Join-Path $Folder 'out')" + options;
        var journalled = plain + " -JournalPath (Join-Path $Folder 'batch.jsonl')";
        var second = GenerationRange.Seconds(1, 1);
        var without = new List<PipelineResult>();
        var with = new List<PipelineResult>();
        // Since every batch is a job, this module journals every batch: its "none" is a build from before jobs, given
        // by RUNAPI_BENCH_BASELINE_MODULE (a manifest), running the plain pipeline; without it, -JournalPath is
        // compared with a job's own journal, which measures only where the journal is.
        var baseline = Environment.GetEnvironmentVariable("RUNAPI_BENCH_BASELINE_MODULE");
        for (var round = 0; round < Rounds; round++)
        {
            without.Add(await new PipelineRun("no journal", 10000, "imagen-4-fast", second, createLatency, plain) { Module = baseline }.MeasureAsync(seed, log));
            with.Add(await new PipelineRun("journal", 10000, "imagen-4-fast", second, createLatency, baseline is null ? journalled : plain).MeasureAsync(seed, log));
        }
        var a = Median(with.Select(r => r.Wall.TotalSeconds));
        var b = Median(without.Select(r => r.Wall.TotalSeconds));
        return
        [
            new Row(Overhead, "wall", $"wall time, 10,000 prompts, {label}, median of 3 (journal; none)",
                Format.Invariant($"{a:0.00} s ({string.Join(", ", with.Select(r => r.Wall.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)))})"),
                Format.Invariant($"{b:0.00} s ({string.Join(", ", without.Select(r => r.Wall.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)))})"),
                Format.Ratio(a, b), "≤ 1.05×", Format.Met(a <= b * 1.05)),
            new Row(Overhead, "peak", $"pwsh peak working set, {label}, mean (journal; none)",
                Format.Megabytes((long)with.Average(r => r.PeakWorkingSet)), Format.Megabytes((long)without.Average(r => r.PeakWorkingSet)),
                Format.Ratio(with.Average(r => r.PeakWorkingSet), without.Average(r => r.PeakWorkingSet))),
        ];
    }
}
