namespace RunApi.Simulator.State;

/// <summary>Everything the handlers share: options, clock, randomness, money, tasks, files and the two origins.</summary>
internal sealed class SimulatorState
{
    public SimulatorState(SimulatorOptions options)
    {
        Options = options;
        Time = options.TimeProvider;
        Random = new SimRandom(options.RandomSeed);
        Ledger = new CreditLedger(options.BalanceCents);
        Tasks = new TaskRegistry(Ledger);
        Files = new FileStore();
    }

    public SimulatorOptions Options { get; }

    public TimeProvider Time { get; }

    public SimRandom Random { get; }

    public CreditLedger Ledger { get; }

    public TaskRegistry Tasks { get; }

    public FileStore Files { get; }

    /// <summary>Origin of the files server without a trailing slash, e.g. <c>http://127.0.0.1:41235</c>. Set once bound.</summary>
    public string FilesOrigin { get; set; } = "";

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>
    /// Ids for the next tasks created, before random ones, each with what to complete when it is given out
    /// (see <see cref="RunApiSimulator.UseTaskIds"/>).
    /// </summary>
    public System.Collections.Concurrent.ConcurrentQueue<(string Id, TaskCompletionSource? Given)> ChosenTaskIds { get; } = new();

    public string NextTaskId()
    {
        if (!ChosenTaskIds.TryDequeue(out var chosen)) return "task_" + Random.NextHex(12);
        chosen.Given?.TrySetResult();
        return chosen.Id;
    }

    public string GeneratedImageUrl(string taskId, int index) => $"{FilesOrigin}/generated/{taskId}/{index}.png";

    /// <summary>The unprocessed source URL of an image (the contract's optional origin_url); serves the same bytes.</summary>
    public string OriginImageUrl(string taskId, int index) => $"{FilesOrigin}/origin/{taskId}/{index}.png";
}
