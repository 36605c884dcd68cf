using RunApi.Simulator.Pipeline;
using RunApi.Simulator.State;

namespace RunApi.Simulator.Api;

/// <summary>
/// The per-key limits RunAPI applies ("per-key rate limits scale with usage tier"): a token bucket over every API
/// request of a key, and optionally a cap on its tasks generating at once. A refusal is 429 with Retry-After in whole
/// seconds, when the next request would be let through.
/// </summary>
internal sealed class RateLimiter(SimulatorState state)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (double Tokens, DateTimeOffset At)> _buckets = new(StringComparer.Ordinal);

    public SimResponse? Refuse(SimRequest request, bool isCreate)
    {
        var options = state.Options;
        var key = request.Header("Authorization") ?? "";
        if (options.RateLimitPerSecond is { } rate && rate > 0 && TryTake(key, rate, options.RateLimitBurst ?? (int)Math.Ceiling(rate)) is { } wait)
        {
            return TooMany("Rate limit exceeded", wait);
        }
        if (isCreate && options.MaxGeneratingPerKey is { } cap && Generating() >= cap)
        {
            return TooMany("Too many tasks generating at once", TimeSpan.FromSeconds(1));
        }
        return null;
    }

    /// <summary>Null when a token was taken; else how long until one is there.</summary>
    private TimeSpan? TryTake(string key, double rate, int burst)
    {
        var now = state.Now;
        lock (_gate)
        {
            var (tokens, at) = _buckets.TryGetValue(key, out var bucket) ? bucket : (burst, now);
            tokens = Math.Min(burst, tokens + (now - at).TotalSeconds * rate);
            if (tokens >= 1)
            {
                _buckets[key] = (tokens - 1, now);
                return null;
            }
            _buckets[key] = (tokens, now);
            return TimeSpan.FromSeconds((1 - tokens) / rate);
        }
    }

    private int Generating()
    {
        var now = state.Now;
        return state.Tasks.Snapshot().Count(t => t.StatusAt(now) is "pending" or "processing");
    }

    private static SimResponse TooMany(string message, TimeSpan wait) =>
        SimResponse.Json(429, ApiErrors.Coded("rate_limited", message))
            .WithHeader("Retry-After", Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture));
}
