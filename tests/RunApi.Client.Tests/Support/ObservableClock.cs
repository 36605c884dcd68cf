using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace RunApi.Client.Tests.Support;

/// <summary>
/// A fake clock that tells the test when code under test starts waiting on it, so a test advances time exactly when
/// the client is parked on a delay, instead of sleeping and hoping. It also keeps the pauses still pending, so that a
/// test running many waits together can move time on only once every one of them is parked.
/// </summary>
public sealed class ObservableClock : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();
    private readonly object _gate = new();
    private readonly Dictionary<long, DateTimeOffset> _pendingPauses = new();
    private long _nextId;
    private TaskCompletionSource _pendingChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ObservableClock() : base(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero))
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = IsPause(dueTime) && period == Timeout.InfiniteTimeSpan
            ? TrackedPause(callback, state, dueTime)
            : base.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime); // only once the timer exists, so that advancing the clock reaches it
        return timer;
    }

    private ITimer TrackedPause(TimerCallback callback, object? state, TimeSpan dueTime)
    {
        var id = Interlocked.Increment(ref _nextId);
        var due = GetUtcNow() + dueTime;
        var timer = base.CreateTimer(s => { EndPause(id); callback(s); }, state, dueTime, Timeout.InfiniteTimeSpan);
        // Counted as pending only once it exists, so that a driver that sees it can advance the clock to it.
        lock (_gate) _pendingPauses[id] = due;
        PendingChanged();
        return new TrackedTimer(timer, () => EndPause(id));
    }

    /// <summary>Completes when a timer with this due time has been created (request timeouts are skipped).</summary>
    public Task WaitForTimerAsync(TimeSpan dueTime, CancellationToken cancellationToken = default) =>
        WaitForTimerAsync(due => due == dueTime, cancellationToken);

    /// <summary>Completes with the due time of the next timer created that matches.</summary>
    public async Task<TimeSpan> WaitForTimerAsync(Func<TimeSpan, bool> match, CancellationToken cancellationToken = default)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        guard.CancelAfter(TimeSpan.FromSeconds(10)); // a real-time guard against a hung test, not a wait
        while (true)
        {
            var due = await _timers.Reader.ReadAsync(guard.Token);
            if (match(due)) return due;
        }
    }

    /// <summary>A pause of the code under test: shorter than a minute, unlike request and operation deadlines.</summary>
    public static bool IsPause(TimeSpan due) => due > TimeSpan.Zero && due < TimeSpan.FromMinutes(1);

    /// <summary>How many pauses are pending, and a task that completes when that number next changes.</summary>
    public (int Count, DateTimeOffset? EarliestDue, Task Changed) PendingPauses()
    {
        lock (_gate)
        {
            DateTimeOffset? earliest = _pendingPauses.Count == 0 ? null : _pendingPauses.Values.Min();
            return (_pendingPauses.Count, earliest, _pendingChanged.Task);
        }
    }

    private void EndPause(long id)
    {
        bool removed;
        lock (_gate) removed = _pendingPauses.Remove(id);
        if (removed) PendingChanged();
    }

    private void PendingChanged()
    {
        TaskCompletionSource fired;
        lock (_gate)
        {
            fired = _pendingChanged;
            _pendingChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        fired.TrySetResult();
    }

    /// <summary>A timer that tells the clock when it is disposed (a pause cancelled before it was due).</summary>
    private sealed class TrackedTimer(ITimer inner, Action disposed) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

        public void Dispose()
        {
            disposed();
            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            disposed();
            return inner.DisposeAsync();
        }
    }
}
