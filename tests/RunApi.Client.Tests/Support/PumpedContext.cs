namespace RunApi.Client.Tests.Support;

/// <summary>
/// A synchronization context that runs what is posted to it only when the test pumps it: one item at a time, in the
/// order posted, on the test's own thread. Code started inside <see cref="Run"/> resumes every await here, never on the
/// thread pool, so a simulation on a fake clock is deterministic and cannot be held up by other tests' threads.
/// </summary>
public sealed class PumpedContext : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _posted = new();

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_posted) _posted.Enqueue((d, state));
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Everything here runs on the pumping thread: post instead.");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs <paramref name="action"/> with this context current, then everything posted, until nothing is left.</summary>
    public void Run(Action action)
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            action();
            while (TryTake(out var item)) item.Callback(item.State);
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    private bool TryTake(out (SendOrPostCallback Callback, object? State) item)
    {
        lock (_posted) return _posted.TryDequeue(out item);
    }
}
