using RunApi.Client.Errors;
using RunApi.Client.Http;
using RunApi.Client.Tests.Support;

namespace RunApi.Client.Tests;

/// <summary>
/// How long one request goes on being refused with 429: a minute while the key's limit lets nothing through, and on
/// for as long as it lets other requests through (a busy limit, such as a cap on tasks generating at once).
/// The executor alone, on a fake clock: attempts answer at once, so only the waits take time.
/// </summary>
public sealed class RateLimitPatienceTests
{
    private readonly ObservableClock _clock = new();

    private RetryingExecutor Executor() => new(new RunApiClientOptions { TimeProvider = _clock });

    /// <summary>An attempt refused with 429 and Retry-After 10 s the first <paramref name="refusals"/> times, then answered.</summary>
    private Func<CancellationToken, Task<string>> RefusedTimes(int refusals, List<DateTimeOffset> attempts) => _ =>
    {
        attempts.Add(_clock.GetUtcNow());
        if (attempts.Count <= refusals)
        {
            throw new RunApiException(RunApiErrorKind.RateLimited, "Too many requests") { StatusCode = 429, RetryAfter = TimeSpan.FromSeconds(10) };
        }
        return Task.FromResult("answered");
    };

    [Fact]
    public async Task A_request_refused_while_nothing_else_gets_through_ends_after_a_minute()
    {
        var attempts = new List<DateTimeOffset>();
        var running = Executor().ExecuteAsync("POST", "/create", retrySafe: true, TimeSpan.FromMinutes(5), RefusedTimes(100, attempts),
            CancellationToken.None, limitLetThrough: () => null);

        var error = await Assert.ThrowsAsync<RunApiException>(() => _clock.RunAsync(running));

        Assert.True(error.EveryAttemptRefused);
        Assert.Equal(TimeSpan.FromSeconds(60), attempts[^1] - attempts[0]);
        Assert.Equal(7, attempts.Count);
    }

    [Fact]
    public async Task A_request_refused_while_the_limit_lets_others_through_goes_on_until_it_is_answered()
    {
        var attempts = new List<DateTimeOffset>();
        // Another request of the key got through a second before each look: the limit is busy, not shut.
        var running = Executor().ExecuteAsync("POST", "/create", retrySafe: true, TimeSpan.FromMinutes(5), RefusedTimes(12, attempts),
            CancellationToken.None, limitLetThrough: () => _clock.GetUtcNow() - TimeSpan.FromSeconds(1));

        var (answer, _) = await _clock.RunAsync(running);

        Assert.Equal("answered", answer);
        Assert.Equal(13, attempts.Count);
        Assert.Equal(TimeSpan.FromSeconds(120), attempts[^1] - attempts[0]);
    }
}
