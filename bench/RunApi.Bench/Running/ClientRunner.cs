using System.Globalization;
using System.Text.Json;
using RunApi.Bench.Measuring;
using RunApi.Bench.Protocol;
using RunApi.Bench.Scenarios;
using RunApi.Simulator;

namespace RunApi.Bench.Running;

/// <summary>
/// One client, one scenario: a fresh simulator in this process (real clock), the client in a worker process, then
/// the worker's figures joined with the simulator's request log and task completion times.
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

    public static async Task<ClientMeasurement> RunAsync(Scenario scenario, string client, int seed)
    {
        var count = client == Ours ? scenario.Count : scenario.BaselineCount;
        var throttle = client == Ours ? scenario.Throttle : 1;
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
        var resultFile = Path.Combine(workFolder, "result.json");
        Directory.CreateDirectory(workFolder);
        try
        {
            await using var simulator = await RunApiSimulator.StartAsync(options);
            var deadline = Deadline(scenario, count, client == Ours ? throttle : scenario.BaselineLanes);
            string[] Arguments(int n, string folder) =>
            [
                "--client", client,
                "--base-uri", simulator.BaseUri.ToString(),
                "--key", simulator.ApiKey,
                "--count", Text(n),
                "--throttle", Text(throttle),
                "--lanes", Text(client == Ours ? 1 : scenario.BaselineLanes),
                "--model", scenario.Model,
                "--warmup-model", WarmUpModel(scenario.Model),
                "--arrival-interval-ms", Text((int)scenario.ArrivalInterval.TotalMilliseconds),
                "--output-dir", Path.Combine(workFolder, folder),
                "--result", resultFile,
                "--deadline-s", Text((int)deadline.TotalSeconds),
            ];
            var environment = new Dictionary<string, string>(WorkerEnvironment);
            var outcome = await ChildProcess.RunAsync(BenchPaths.Worker, Arguments(count, "images"), deadline + TimeSpan.FromSeconds(30), environment);

            if (outcome.TimedOut || outcome.ExitCode != 0 || !File.Exists(resultFile))
            {
                throw new InvalidOperationException(
                    $"The {client} worker of {scenario.Name} {(outcome.TimedOut ? "was stopped at its time limit" : $"exited with {outcome.ExitCode}")}: {outcome.StandardError.Trim()}");
            }

            var worker = JsonSerializer.Deserialize<WorkerResult>(await File.ReadAllTextAsync(resultFile))
                ?? throw new InvalidDataException("The worker wrote an empty result.");
            var requests = RequestCounts.From(simulator.Requests, scenario.Model, id => simulator.FindTask(id)?.Model);
            return ClientMeasurement.From(worker, requests, simulator.FindTask, simulator.BaseUri.Port, simulator.FilesBaseUri.Port);
        }
        finally
        {
            Directory.Delete(workFolder, recursive: true);
        }
    }

    /// <summary>
    /// A generous bound on one worker's run: the arrival window plus, per wave of prompts (as many as run at once), the longest generation and
    /// a few poll intervals of slack; doubled, plus start-up. Only reached when something is badly wrong.
    /// </summary>
    private static TimeSpan Deadline(Scenario scenario, int count, int throttle)
    {
        var arrivals = scenario.ArrivalInterval * count;
        var waves = Math.Ceiling(count / (double)throttle);
        var perWave = scenario.Generation.Max + TimeSpan.FromSeconds(5);
        var downloads = TimeSpan.FromMilliseconds(count * (scenario.ImageBytes > 0 ? 50 : 5));
        return 2 * (arrivals + perWave * waves + downloads) + TimeSpan.FromSeconds(60);
    }

    /// <summary>
    /// A model other than the scenario's, left out of the simulator's per-model generation times, so the warm-up tasks
    /// complete at once (GenerationTime zero) and their requests can be told apart from the measured ones.
    /// </summary>
    private static string WarmUpModel(string model) => model == "imagen-4-fast" ? "imagen-4-ultra" : "imagen-4-fast";

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
