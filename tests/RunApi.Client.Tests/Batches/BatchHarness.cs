using System.Collections.Concurrent;
using RunApi.Client.Batches;
using RunApi.Client.Downloads;
using RunApi.Client.Polling;
using RunApi.Client.Tests.Support;
using RunApi.Simulator;

namespace RunApi.Client.Tests.Batches;

/// <summary>
/// A batch on a fake clock shared with the simulator, its host recording what it is told. The consumer side (what the
/// pipeline thread does in a cmdlet: submit as the stages have room, wait for the end) runs on a thread of its own, as
/// it blocks while it waits; the test drives the clock from its own flow.
/// </summary>
internal sealed class BatchHarness : IAsyncDisposable
{
    public const string CreatePath = "/api/v1/imagen_4/text_to_image";

    /// <summary>Text-to-image inputs "prompt 1" to "prompt N", each tagged with its prompt.</summary>
    public static IEnumerable<BatchInput> Prompts(int count) =>
        Enumerable.Range(1, count).Select(i => BatchInput.ToCreate(new Models.TextToImageRequest($"prompt {i}"), tag: $"prompt {i}"));

    private BatchHarness(ObservableClock clock, RunApiSimulator simulator, RunApiClient client, BatchSettings settings, string folder)
    {
        Clock = clock;
        Sim = simulator;
        Client = client;
        Folder = folder;
        settings.Downloader ??= new ImageDownloader(Clients.Options(clock));
        Events = new RecordingHost(folder);
        Work = new BatchWork();
        Batch = new ImagenBatch(client, Work, settings, Events);
    }

    public ObservableClock Clock { get; }
    public RunApiSimulator Sim { get; }
    public RunApiClient Client { get; }
    public BatchWork Work { get; }
    public ImagenBatch Batch { get; }

    /// <summary>The batch's host: every event it was told, in order; it saves images as {task id}_{index} in <see cref="Folder"/>.</summary>
    public RecordingHost Events { get; }

    private InFlight _inFlight = new();
    public string Folder { get; }

    public static async Task<BatchHarness> StartAsync(BatchSettings settings, Action<SimulatorOptions>? simulator = null, int maxRetries = 0)
    {
        var clock = new ObservableClock();
        var options = new SimulatorOptions { TimeProvider = clock, GenerationTime = TimeSpan.Zero, RandomSeed = 3 };
        simulator?.Invoke(options);
        var sim = await RunApiSimulator.StartAsync(options);
        var inFlight = new InFlight();
        var clientOptions = Clients.Options(clock, maxRetries, observer: _ => inFlight.Change(-1));
        clientOptions.Sending = () => inFlight.Change(+1);
        clientOptions.Retry.BaseDelay = TimeSpan.FromSeconds(1);
        clientOptions.Timings = new CompletionTimesRegistry();
        var client = new RunApiClient(new Configuration.RunApiSettings(sim.BaseUri, new Configuration.ApiKey(sim.ApiKey)), clientOptions);
        var folder = Directory.CreateTempSubdirectory("runapi-batch-").FullName;
        return new BatchHarness(clock, sim, client, settings, folder) { _inFlight = inFlight };
    }

    /// <summary>Runs the consumer's part on its own thread; a real-time guard fails a test that would hang.</summary>
    public Task Consume(Action consumer) =>
        Task.Factory.StartNew(consumer, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            .WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>The consumer's loop of a cmdlet: each input is submitted once its stage has room, then all are waited for to the end.</summary>
    public Task SubmitAll(IEnumerable<BatchInput> inputs) => Consume(() =>
    {
        foreach (var input in inputs)
        {
            WaitUntil(() => Batch.HasRoomFor(input.Entry));
            Batch.Submit(input);
        }
        WaitUntil(() => Batch.IsIdle);
    });

    /// <summary>
    /// The consumer's wait: blocks until <paramref name="done"/> holds, checked after each event the host is told and
    /// at least every <see cref="Tick"/> (for what changes without an event, such as <see cref="BatchInput.CreateSent"/>).
    /// </summary>
    public void WaitUntil(Func<bool> done)
    {
        while (true)
        {
            var told = Events.NextEvent;
            if (done()) return;
            told.Wait(Tick);
        }
    }

    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    /// <summary>Completes once at least this many pauses (simulator delays, client waits) are pending on the clock.</summary>
    public async Task PausesPending(int count)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(10)); // real time: only against a hung test
        while (true)
        {
            var (pending, _, changed) = Clock.PendingPauses();
            if (pending >= count) return;
            await changed.WaitAsync(guard.Token);
        }
    }

    /// <summary>
    /// Moves the clock to each pause as it comes due until <paramref name="done"/> ends: for tests that check the
    /// outcome of a batch, not its timing.
    /// </summary>
    public async Task RunClockUntil(Task done)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30)); // real time: only against a hung test
        while (!done.IsCompleted)
        {
            var (pending, earliest, changed) = Clock.PendingPauses();
            if (pending > 0 && earliest is { } due)
            {
                var step = due - Clock.GetUtcNow();
                Clock.Advance(step > TimeSpan.Zero ? step : TimeSpan.Zero);
                continue;
            }
            await Task.WhenAny(done, changed).WaitAsync(guard.Token);
        }
        await done;
    }

    /// <summary>
    /// Moves the clock to the earliest pause only while no request is in flight (every one that reached the simulator
    /// has been handled by the client), so time never jumps over an answer on its way: for tests whose figures depend
    /// on when each request was sent, such as against a rate limit. For API requests only (no downloads).
    /// </summary>
    /// <summary>
    /// Moves the clock to the earliest pause only while no API request is on the wire, so that time never jumps over
    /// an answer on its way: for tests whose figures depend on when each request was sent, such as against a rate
    /// limit. (A request is on the wire from when the client sends it until the client has read its answer.)
    /// </summary>
    public async Task RunClockWhenIdleUntil(Task done)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20)); // real time: only against a hung test
        while (!done.IsCompleted)
        {
            var activity = _inFlight.Changed;
            var (pending, earliest, changed) = Clock.PendingPauses();
            if (_inFlight.Count == 0 && pending > 0 && earliest is { } due)
            {
                // What an answer just read leads to (a pause, a request) is set up on a pool thread: let it run first.
                await Task.Yield();
                if (_inFlight.Count != 0 || Clock.PendingPauses() != (pending, earliest, changed)) continue;
                var step = due - Clock.GetUtcNow();
                Clock.Advance(step > TimeSpan.Zero ? step : TimeSpan.Zero);
                continue;
            }
            try
            {
                await Task.WhenAny(done, changed, activity).WaitAsync(guard.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The batch hung at {Clock.GetUtcNow():HH:mm:ss.fff} (fake) with {_inFlight.Count} requests " +
                    $"on the wire, {pending} pauses pending (earliest {earliest:HH:mm:ss.fff}), {Events.Count("Created")} created and {Events.Count("Completed")} completed, " +
                    $"{Sim.Requests.Count} requests answered.");
            }
        }
        await done;
    }

    /// <summary>API requests on the wire, and a task that completes when that number next changes.</summary>
    private sealed class InFlight
    {
        private readonly object _gate = new();
        private int _count;
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Count
        {
            get { lock (_gate) return _count; }
        }

        public Task Changed
        {
            get { lock (_gate) return _changed.Task; }
        }

        public void Change(int by)
        {
            TaskCompletionSource fired;
            lock (_gate)
            {
                _count += by;
                fired = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            fired.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Work.Dispose();
        await Sim.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The most requests matching the filter that were in flight at one instant, from the simulator's log.</summary>
    public int MostInFlight(Func<RecordedRequest, bool> match)
    {
        // Ends sort before starts at the same instant: a request answered at t does not overlap one received at t.
        var edges = Sim.Requests.Where(match)
            .SelectMany(r => new[] { (At: r.ReceivedAt, Change: +1), (At: r.CompletedAt, Change: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.Change);
        int current = 0, most = 0;
        foreach (var edge in edges)
        {
            current += edge.Change;
            most = Math.Max(most, current);
        }
        return most;
    }
}

/// <summary>A batch's host that records every event it is told, in order, and saves images in a folder.</summary>
internal sealed class RecordingHost(string folder) : IBatchHost
{
    public ConcurrentQueue<(string Kind, BatchInput Input, BatchFailure? Failure)> All { get; } = new();

    public IReadOnlyList<BatchFailure> Failures => All.Where(e => e.Failure is not null).Select(e => e.Failure!).ToList();

    public int Count(string kind) => All.Count(e => e.Kind == kind);

    private readonly object _gate = new();
    private TaskCompletionSource _added = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the next event arrives.</summary>
    public Task NextEvent
    {
        get
        {
            lock (_gate) return _added.Task;
        }
    }

    /// <summary>Completes once at least this many events of the kind have arrived.</summary>
    public async Task WhenCount(string kind, int count)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(10)); // real time: only against a hung test
        while (true)
        {
            Task added;
            lock (_gate) added = _added.Task;
            if (Count(kind) >= count) return;
            await added.WaitAsync(guard.Token);
        }
    }

    private void Add(string kind, BatchInput input, BatchFailure? failure)
    {
        All.Enqueue((kind, input, failure));
        TaskCompletionSource fired;
        lock (_gate)
        {
            fired = _added;
            _added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        fired.TrySetResult();
    }

    public DownloadTarget SaveTarget(BatchInput input, int imageIndex, Models.TaskImage image) =>
        DownloadTarget.InDirectory(folder, input.TaskId + "_" + imageIndex, overwrite: false);

    public Task BeforeCreateAsync(Models.CreateTaskRequest request, CancellationToken cancellationToken) => Task.CompletedTask;

    public void Created(BatchInput input) => Add("Created", input, null);
    public void Completed(BatchInput input) => Add("Completed", input, null);
    public void Looked(BatchInput input) => Add("Looked", input, null);
    public void Saved(BatchInput input, int imageIndex, DownloadedImage image) => Add("Saved", input, null);
    public void Failed(BatchInput input, BatchFailure failure) => Add("Failed", input, failure);
    public void Ended(BatchInput input) => Add("Ended", input, null);
}
