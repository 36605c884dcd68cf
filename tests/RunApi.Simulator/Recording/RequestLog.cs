namespace RunApi.Simulator.Recording;

/// <summary>
/// The recorded requests, kept in arrival order. A request is added when its response headers are sent (or its
/// connection is dropped), which is before the client can see the response: a test that has its response can
/// always find the request here.
/// </summary>
internal sealed class RequestLog
{
    private readonly object _gate = new();
    private readonly List<(long Sequence, RecordedRequest Request)> _entries = new();
    private readonly List<Waiter> _waiters = new();
    private long _lastSequence;
    private bool _closed;

    /// <summary>Raised after a response has finished (or was aborted).</summary>
    public event Action<RecordedRequest>? Completed;

    /// <summary>Takes a ticket at arrival, so the log can keep arrival order even though entries are added later.</summary>
    public long NextSequence() => Interlocked.Increment(ref _lastSequence);

    public void Add(long sequence, RecordedRequest request)
    {
        var matched = new List<TaskCompletionSource<RecordedRequest>>();
        lock (_gate)
        {
            var index = _entries.Count;
            while (index > 0 && _entries[index - 1].Sequence > sequence)
            {
                index--;
            }

            _entries.Insert(index, (sequence, request));
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(request))
                {
                    matched.Add(_waiters[i].Completion);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var completion in matched)
        {
            completion.TrySetResult(request);
        }
    }

    public void RaiseCompleted(RecordedRequest request)
    {
        try
        {
            Completed?.Invoke(request);
        }
        catch (Exception)
        {
            // A test's handler must not break the server; the test sees its own failure elsewhere.
        }
    }

    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (_gate)
        {
            return _entries.Select(e => e.Request).ToArray();
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }

    public Task<RecordedRequest> WaitAsync(Func<RecordedRequest, bool> match, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(match);
        var completion = new TaskCompletionSource<RecordedRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            foreach (var (_, request) in _entries)
            {
                if (match(request))
                {
                    return Task.FromResult(request);
                }
            }

            _waiters.Add(new Waiter(match, completion));
        }

        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                lock (_gate)
                {
                    _waiters.RemoveAll(w => w.Completion == completion);
                }

                completion.TrySetCanceled(cancellationToken);
            });
            completion.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        }

        return completion.Task;
    }

    /// <summary>Fails every pending wait, so a test waiting on a stopped simulator ends instead of hanging.</summary>
    public void Close()
    {
        Waiter[] pending;
        lock (_gate)
        {
            _closed = true;
            pending = _waiters.ToArray();
            _waiters.Clear();
        }

        foreach (var waiter in pending)
        {
            waiter.Completion.TrySetException(new ObjectDisposedException(nameof(RunApiSimulator), "The simulator was stopped."));
        }
    }

    private sealed record Waiter(Func<RecordedRequest, bool> Match, TaskCompletionSource<RecordedRequest> Completion);
}
