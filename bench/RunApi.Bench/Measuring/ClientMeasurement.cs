using RunApi.Bench.Protocol;
using RunApi.Simulator;

namespace RunApi.Bench.Measuring;

/// <summary>Everything measured for one client in one scenario: the worker's own figures joined with the simulator's.</summary>
public sealed record ClientMeasurement(
    string Client,
    int Prompts,
    int Lanes,
    int Images,
    IReadOnlyList<string> Errors,
    TimeSpan? WallTime,
    RequestCounts Requests,
    IReadOnlyList<TaskOutcome> Tasks,
    double CpuMilliseconds,
    double WarmupCpuMilliseconds,
    long PeakWorkingSetBytes,
    long StartWorkingSetBytes,
    int ApiConnections,
    int FilesConnections)
{
    public double? CreatesPerImage => PerImage(Requests.Creates, Images);
    public double? PollsPerImage => PerImage(Requests.Polls, Images);
    public double? DownloadsPerImage => PerImage(Requests.Downloads, Images);
    public double? CpuMillisecondsPerImage => PerImage(CpuMilliseconds, Images);

    public IReadOnlyList<TimeSpan> DetectionDelays => Delays(Tasks);
    public TimeSpan? DelayMedian => Median(Tasks);
    public TimeSpan? DelayP95 => Seconds(Stats.Percentile(DetectionDelays.Select(d => d.TotalSeconds), 95));

    /// <summary>
    /// The tasks created after the client had seen its first completion: the ones a client that learns from what
    /// it has seen can time better. For a client that does not learn, they behave like all the others.
    /// </summary>
    public IReadOnlyList<TaskOutcome> TasksAfterFirstCompletion =>
        Tasks.Min(t => t.DetectedAt) is { } first ? Tasks.Where(t => t.CreatedAt >= first).ToList() : [];

    public double? PollsPerImageAfterFirstCompletion => PollsPerImageOf(TasksAfterFirstCompletion);

    public TimeSpan? DelayMedianAfterFirstCompletion => Median(TasksAfterFirstCompletion);

    /// <summary>
    /// Joins a worker's result with the simulator's records. Detection delay = the instant the worker knew a task was
    /// completed − the instant the simulator completed it (<c>SimulatedTask.CompletesAt</c>); both are read from the
    /// same system clock, in two processes.
    /// </summary>
    public static ClientMeasurement From(WorkerResult worker, RequestCounts requests, Func<string, SimulatedTask?> findTask, int apiPort, int filesPort)
    {
        var tasks = new List<TaskOutcome>();
        foreach (var prompt in worker.Prompts)
        {
            if (prompt.TaskId is { } id && findTask(id) is { } task)
            {
                tasks.Add(new TaskOutcome(id, task.CreatedAt, task.CompletesAt, prompt.DetectedAt,
                    requests.PollsByTask.GetValueOrDefault(id), prompt.ImagesSaved, prompt.Phase));
            }
        }

        var errors = worker.Prompts.Where(p => p.Error is not null).Select(p => $"prompt {p.Index}: {p.Error}").ToList();
        return new ClientMeasurement(
            worker.Client,
            worker.Prompts.Count,
            worker.Lanes,
            worker.Prompts.Sum(p => p.ImagesSaved),
            errors,
            worker.FinishedAt - worker.StartedAt,
            requests,
            tasks,
            worker.CpuMilliseconds,
            worker.WarmupCpuMilliseconds,
            worker.PeakWorkingSetBytes,
            worker.StartWorkingSetBytes,
            Opened(worker, apiPort),
            Opened(worker, filesPort));
    }

    /// <summary>The tasks of one phase of a phased scenario (all of them for a scenario without phases).</summary>
    public IReadOnlyList<TaskOutcome> TasksOf(int phase) => Tasks.Where(t => t.Phase == phase).ToList();

    public static double? PollsPerImageOf(IReadOnlyList<TaskOutcome> tasks) => PerImage(tasks.Sum(t => t.Polls), tasks.Sum(t => t.ImagesSaved));

    public static TimeSpan? DelayMedianOf(IEnumerable<TaskOutcome> tasks) => Median(tasks);

    /// <summary>The longest time from a create to the client knowing its task was done; null when a task never was.</summary>
    public static TimeSpan? LatestFoundAfterCreate(IReadOnlyList<TaskOutcome> tasks) =>
        tasks.Count == 0 || tasks.Any(t => t.FoundAfterCreate is null) ? null : tasks.Max(t => t.FoundAfterCreate!.Value);

    private static IReadOnlyList<TimeSpan> Delays(IEnumerable<TaskOutcome> tasks) =>
        tasks.Select(t => t.DetectionDelay).OfType<TimeSpan>().ToList();

    private static TimeSpan? Median(IEnumerable<TaskOutcome> tasks) => Seconds(Stats.Median(Delays(tasks).Select(d => d.TotalSeconds)));

    private static double? PerImage(double value, int images) => images == 0 ? null : value / images;

    private static TimeSpan? Seconds(double? seconds) => seconds is { } s ? TimeSpan.FromSeconds(s) : null;

    private static int Opened(WorkerResult worker, int port) =>
        worker.ConnectionsOpened.Where(c => c.Key.EndsWith(":" + port, StringComparison.Ordinal)).Sum(c => c.Value);
}
