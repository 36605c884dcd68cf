using System.Globalization;
using System.Text.Json;
using RunApi.Bench.Measuring;
using RunApi.Bench.Protocol;
using RunApi.Bench.Scenarios;
using RunApi.Simulator;

namespace RunApi.Bench.Running;

/// <summary>
/// One client, one scenario: a fresh simulator in this process (real clock), the client in a worker process (or
/// several on one key, started together), then the workers' figures joined with the simulator's request log and task
/// completion times.
/// </summary>
public static class ClientRunner
{
    public const string Ours = "ours";
    public const string Baseline = "baseline";

    /// <summary>
    /// Tiered compilation off in the workers: with it on, the runtime re-compiles hot methods in the background for
    /// many seconds after they get hot (measured: ~150 ms of CPU per process, spread over whatever prompts follow),
    /// which would charge a 6-prompt baseline far more per image than a 1,000-prompt run. Off, every method is
    /// compiled once, during the warm-up, and CPU per image is the client's own work.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> WorkerEnvironment = new Dictionary<string, string>
    {
        ["DOTNET_TieredCompilation"] = "0",
    };

    /// <summary>
    /// Workers started together begin their measured prompts at one instant this long after their start: time for
    /// each to start and warm up on this 2-core machine with the others (a worker that is late says so).
    /// </summary>
    private static readonly TimeSpan StartTogetherAfter = TimeSpan.FromSeconds(10);

    public static async Task<ClientMeasurement> RunAsync(Scenario scenario, string client, int seed, TextWriter progress)
    {
        var count = client == Ours ? scenario.Count : scenario.BaselineCount;
        var lanes = client == Ours ? 1 : scenario.BaselineLanes;
        var options = new SimulatorOptions
        {
            RandomSeed = seed,
            ImageBytes = scenario.ImageBytes,
            BalanceCents = 1_000_000_000,
            // Models without a range below (only the workers' warm-up model) complete at once.
            GenerationTime = TimeSpan.Zero,
            RateLimitPerSecond = scenario.RateLimit,
        };
        options.GenerationTimeByModel[scenario.Model] = (scenario.Generation.Min, scenario.Generation.Max);

        var workFolder = Path.Combine(Path.GetTempPath(), $"runapi-bench-{scenario.Name}-{client}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(workFolder);
        try
        {
            await using var simulator = await RunApiSimulator.StartAsync(options);
            using var phases = scenario.Phases is { } p ? new PhaseSwitch(simulator, scenario.Model, p) : null;
            var processes = scenario.Processes;
            DateTimeOffset? startAt = processes > 1 ? DateTimeOffset.UtcNow + StartTogetherAfter : null;
            var workers = Enumerable.Range(0, processes).Select(i => RunWorkerAsync(
                scenario, client, simulator, Path.Combine(workFolder, Text(i)),
                first: i * count / processes, count: (i + 1) * count / processes - i * count / processes,
                lanes: Math.Max(1, lanes / processes), startAt));
            var results = await Task.WhenAll(workers);
            phases?.Verify();
            WarnIfNotTogether(scenario, client, results, simulator.Requests, progress);
            if (processes > 1) ReportFinishes(scenario, client, results, progress);

            var requests = RequestCounts.From(simulator.Requests, scenario.Model, id => simulator.FindTask(id)?.Model);
            return ClientMeasurement.From(WorkerResults.Merge(results), requests, simulator.FindTask, simulator.BaseUri.Port, simulator.FilesBaseUri.Port);
        }
        finally
        {
            Directory.Delete(workFolder, recursive: true);
        }
    }

    private static async Task<WorkerResult> RunWorkerAsync(Scenario scenario, string client, RunApiSimulator simulator, string folder,
        int first, int count, int lanes, DateTimeOffset? startAt)
    {
        Directory.CreateDirectory(folder);
        var resultFile = Path.Combine(folder, "result.json");
        var throttle = client == Ours ? scenario.Throttle : 1;
        var deadline = Deadline(scenario, count, client == Ours ? throttle : lanes) + (startAt is null ? TimeSpan.Zero : StartTogetherAfter);
        var arguments = new List<string>
        {
            "--client", client,
            "--base-uri", simulator.BaseUri.ToString(),
            "--key", simulator.ApiKey,
            "--count", Text(count),
            "--first-index", Text(first),
            "--throttle", Text(throttle),
            "--lanes", Text(lanes),
            "--model", scenario.Model,
            "--warmup-model", WarmUpModel(scenario.Model),
            "--arrival-interval-ms", Text((int)scenario.ArrivalInterval.TotalMilliseconds),
            "--output-dir", Path.Combine(folder, "images"),
            "--result", resultFile,
            "--deadline-s", Text((int)deadline.TotalSeconds),
        };
        if (scenario.Phases is { } phases) arguments.AddRange(["--phases", string.Join(",", phases.Select(p => Text(p.Count)))]);
        if (startAt is { } at) arguments.AddRange(["--start-at-unix-ms", at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)]);

        var outcome = await ChildProcess.RunAsync(BenchPaths.Worker, arguments, deadline + TimeSpan.FromSeconds(30), new Dictionary<string, string>(WorkerEnvironment));
        if (outcome.TimedOut || outcome.ExitCode != 0 || !File.Exists(resultFile))
        {
            throw new InvalidOperationException(
                $"The {client} worker of {scenario.Name} {(outcome.TimedOut ? "was stopped at its time limit" : $"exited with {outcome.ExitCode}")}: {outcome.StandardError.Trim()}");
        }
        return JsonSerializer.Deserialize<WorkerResult>(await File.ReadAllTextAsync(resultFile))
            ?? throw new InvalidDataException("The worker wrote an empty result.");
    }

    /// <summary>When each worker finished, from the first start: a straggler, not a slow whole, is what makes a slow run.</summary>
    private static void ReportFinishes(Scenario scenario, string client, IReadOnlyList<WorkerResult> results, TextWriter progress)
    {
        var start = results.Min(r => r.StartedAt);
        var finishes = results.Select(r => (r.FinishedAt - start).TotalSeconds).OrderBy(s => s).Select(s => $"{s:0.0} s");
        progress.WriteLine($"[{scenario.Name}]   {client}: workers finished at {string.Join(", ", finishes)}");
    }

    /// <summary>
    /// Workers meant to start together that did not (one still warming up at the start), or whose warm-ups already met
    /// the rate limit (a budget that starts paced), make another test than the one named: say so.
    /// </summary>
    private static void WarnIfNotTogether(Scenario scenario, string client, IReadOnlyList<WorkerResult> results, IReadOnlyList<RecordedRequest> requests, TextWriter progress)
    {
        if (results.Count < 2) return;
        var start = results.Min(r => r.StartedAt);
        var apart = results.Max(r => r.StartedAt) - start;
        if (apart > TimeSpan.FromMilliseconds(250))
        {
            progress.WriteLine($"[{scenario.Name}] WARNING: the {client} workers started {apart.TotalSeconds:0.00} s apart, not together.");
        }
        var early = requests.Count(r => r.StatusCode == 429 && r.ReceivedAt < start);
        if (early > 0) progress.WriteLine($"[{scenario.Name}] WARNING: {early} requests of the {client} warm-ups were answered 429.");
    }

    /// <summary>
    /// A generous bound on one worker's run: the arrival window plus, per wave of prompts (as many as run at once) of
    /// each phase, the longest generation and a few poll intervals of slack; doubled, plus start-up. Only reached when
    /// something is badly wrong.
    /// </summary>
    private static TimeSpan Deadline(Scenario scenario, int count, int throttle)
    {
        var arrivals = scenario.ArrivalInterval * count;
        var phases = scenario.Phases ?? [new Phase(count, scenario.Generation)];
        var waves = phases.Select(p => (p.Generation.Max + TimeSpan.FromSeconds(5)) * Math.Ceiling(p.Count / (double)throttle)).Aggregate(TimeSpan.Zero, (a, b) => a + b);
        var downloads = TimeSpan.FromMilliseconds(count * (scenario.ImageBytes > 0 ? 50 : 5));
        return 2 * (arrivals + waves + downloads) + TimeSpan.FromSeconds(60);
    }

    /// <summary>
    /// A model other than the scenario's, left out of the simulator's per-model generation times, so the warm-up tasks
    /// complete at once (GenerationTime zero) and their requests can be told apart from the measured ones.
    /// </summary>
    private static string WarmUpModel(string model) => model == "imagen-4-fast" ? "imagen-4-ultra" : "imagen-4-fast";

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
