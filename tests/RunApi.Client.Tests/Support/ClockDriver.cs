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
}
