using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace RunApi.Client.Tests.Support;

/// <summary>
/// A fake clock that tells the test when code under test starts waiting on it, so a test advances time exactly when
/// the client is parked on a delay, instead of sleeping and hoping.
/// </summary>
public sealed class ObservableClock : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public ObservableClock() : base(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero))
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
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
}
