namespace RunApi.Client.Tests.Support;

internal static class ClockDriver
{
    /// <summary>
    /// Lets an operation run on the fake clock: each time it parks on a pause, moves the clock on by exactly that
    /// pause. Returns the result and the pauses taken.
    /// </summary>
    public static async Task<(T Result, List<TimeSpan> Pauses)> RunAsync<T>(this ObservableClock clock, Task<T> operation)
    {
        var pauses = new List<TimeSpan>();
        while (!operation.IsCompleted)
        {
            // A reader left waiting would take the next operation's timer: cancel it if the operation ends first.
            using var stopReading = new CancellationTokenSource();
            var parked = clock.WaitForTimerAsync(ObservableClock.IsPause, stopReading.Token);
            if (await Task.WhenAny(parked, operation) == operation)
            {
                stopReading.Cancel();
                break;
            }
            var pause = await parked;
            pauses.Add(pause);
            clock.Advance(pause);
        }
        return (await operation, pauses);
    }

    /// <summary>
    /// Lets many operations run together on the fake clock: once every one still running is parked on a pause, moves
    /// the clock to the earliest pause due, and again, until all have ended. An operation that is busy (a request in
    /// flight) has no pause pending, so time stands still until it parks or ends.
    /// </summary>
    public static async Task RunTogetherAsync(this ObservableClock clock, IReadOnlyCollection<Task> operations)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30)); // real time: only against a hung test
        var hung = Task.Delay(Timeout.Infinite, guard.Token);
        while (true)
        {
            var running = operations.Where(o => !o.IsCompleted).ToList();
            if (running.Count == 0) break;
            var (pending, earliest, changed) = clock.PendingPauses();
            if (pending == running.Count && earliest is { } due)
            {
                var step = due - clock.GetUtcNow();
                clock.Advance(step > TimeSpan.Zero ? step : TimeSpan.Zero);
                continue;
            }
            await Task.WhenAny(running.Append(changed).Append(hung));
            guard.Token.ThrowIfCancellationRequested();
        }
        await Task.WhenAll(operations);
    }
}
