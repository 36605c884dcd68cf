using RunApi.Simulator.Api;
using RunApi.Simulator.Files;
using RunApi.Simulator.Hosting;
using RunApi.Simulator.Pipeline;
using RunApi.Simulator.Recording;
using RunApi.Simulator.State;

namespace RunApi.Simulator;

/// <summary>
/// A local RunAPI: the contract's Imagen, account and files endpoints on 127.0.0.1, with recorded requests,
/// scriptable faults and task lifecycles driven by a (possibly fake) clock.
/// </summary>
public sealed class RunApiSimulator : IAsyncDisposable
{
    private readonly SimulatorState _state;
    private readonly RequestLog _log = new();
    private readonly FilesOrigin _filesOrigin;
    private readonly CancellationTokenSource _stopping = new();
    private KestrelHost? _host;
    private int _filesPort;
    private int _disposed;

    private RunApiSimulator(SimulatorOptions options)
    {
        Options = options;
        _state = new SimulatorState(options);
        _filesOrigin = new FilesOrigin(_state);
        Faults = new FaultInjector(_state.Random);
    }

    /// <summary>Raised after each response has finished (or was aborted). Handlers run on the request's thread.</summary>
    public event Action<RecordedRequest>? RequestCompleted
    {
        add => _log.Completed += value;
        remove => _log.Completed -= value;
    }

    /// <summary>The API origin, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The files origin (generated images, temp files, upload URLs), like file.runapi.ai.</summary>
    public Uri FilesBaseUri { get; private set; } = null!;

    public string ApiKey => Options.ApiKey;

    public SimulatorOptions Options { get; }

    public FaultInjector Faults { get; }

    /// <summary>The account balance. Reading it first pays out any refunds of tasks that have failed by now.</summary>
    public long BalanceCents
    {
        get
        {
            _state.Tasks.SettleRefunds(_state.Now);
            return _state.Ledger.BalanceCents;
        }

        set => _state.Ledger.BalanceCents = value;
    }

    /// <summary>A snapshot of the recorded requests of both origins, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _log.Snapshot();

    /// <summary>A snapshot of the accepted tasks, in creation order (replays add none).</summary>
    public IReadOnlyList<SimulatedTask> Tasks => _state.Tasks.Snapshot();

    public static async Task<RunApiSimulator> StartAsync(SimulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SimulatorOptions();
        Validate(options);
        var simulator = new RunApiSimulator(options);
        await simulator.StartHostAsync(cancellationToken);
        return simulator;
    }

    /// <summary>Completes with the first recorded request (already recorded or future) that matches.</summary>
    public Task<RecordedRequest> WaitForRequestAsync(Func<RecordedRequest, bool> match, CancellationToken ct = default) =>
        _log.WaitAsync(match, ct);

    public SimulatedTask? FindTask(string id) => _state.Tasks.Find(id);

    /// <summary>Exactly the bytes the files origin serves for an image (whatever the task's status).</summary>
    public byte[] GetImageBytes(string taskId, int index) =>
        (_filesOrigin.Image(taskId, index) ?? throw new ArgumentException($"No image {index} for task '{taskId}'.", nameof(index))).ToArray();

    /// <summary>
    /// The next tasks created get these ids (which must be new), in order, instead of random ones: for scripts that
    /// name a task by its id, such as the examples of the help. Completes when the last of them is given out.
    /// </summary>
    public Task UseTaskIds(params string[] ids)
    {
        ArgumentOutOfRangeException.ThrowIfZero(ids.Length, nameof(ids));
        var given = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        for (var i = 0; i < ids.Length; i++)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(ids[i], nameof(ids));
            _state.ChosenTaskIds.Enqueue((ids[i], i == ids.Length - 1 ? given : null));
        }

        return given.Task;
    }

    /// <summary>Forgets the recorded requests (tasks, balance and faults stay).</summary>
    public void ResetRequests() => _log.Clear();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Cancel delayed and in-flight requests first, so stopping does not wait on a fake clock nobody advances.
        await _stopping.CancelAsync();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        _log.Close();
        _stopping.Dispose();
    }

    private async Task StartHostAsync(CancellationToken cancellationToken)
    {
        var api = new ApiRouter(_state, _filesOrigin);
        var pipeline = new RequestPipeline(
            _log,
            Faults,
            _state.Random,
            _state.Time,
            port => port == Volatile.Read(ref _filesPort),
            api.Handle,
            _filesOrigin.Handle,
            _stopping.Token);

        _host = await KestrelHost.StartAsync(Options.ApiPort, Options.FilesPort, pipeline.InvokeAsync, cancellationToken);
        Volatile.Write(ref _filesPort, _host.FilesPort);
        BaseUri = new Uri($"http://127.0.0.1:{_host.ApiPort}");
        FilesBaseUri = new Uri($"http://127.0.0.1:{_host.FilesPort}");
        _state.FilesOrigin = $"http://127.0.0.1:{_host.FilesPort}";
    }

    private static void Validate(SimulatorOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ApiKey, nameof(options.ApiKey));
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options.TimeProvider));
        ArgumentOutOfRangeException.ThrowIfNegative(options.ImagesPerTask, nameof(options.ImagesPerTask));
        ArgumentOutOfRangeException.ThrowIfNegative(options.ImageBytes, nameof(options.ImageBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.GenerationTime, TimeSpan.Zero, nameof(options.GenerationTime));
        foreach (var (model, (min, max)) in options.GenerationTimeByModel)
        {
            if (min < TimeSpan.Zero || max < min)
            {
                throw new ArgumentOutOfRangeException(nameof(options.GenerationTimeByModel), $"The range for '{model}' must have 0 <= Min <= Max.");
            }
        }

        if (options.ApiPort is < 0 or > 65535 || options.FilesPort is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Ports must be between 0 and 65535.");
        }
    }
}
