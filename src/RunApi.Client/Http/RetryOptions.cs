using System;

namespace RunApi.Client.Http
{
    /// <summary>
    /// How failed requests are retried: 408, 429, 5xx and transport failures, with exponential backoff and jitter,
    /// capped; a Retry-After from the service replaces the computed delay. The SDKs allow 2 retries; a batch of
    /// thousands meets more bad luck than one call, so the default here is 4 (5 attempts, about 8 s of backoff).
    /// </summary>
    internal sealed class RetryOptions
    {
        public int MaxRetries { get; set; } = 4;
        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

        /// <summary>Cap of the computed backoff (not of a Retry-After, which the deadline bounds instead).</summary>
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>
        /// How long one request is sent again while RunAPI answers every attempt with 429 and lets no other request of
        /// the key through. A 429 uses up no retry (the shared request budget paces the sending, and a burst passes in
        /// seconds), but a limit that has not lifted in a minute is not a burst: the request then ends as a rate-limit
        /// error, and a create that was only ever refused says it was not charged. The SDKs give up after 2 retries.
        /// </summary>
        public TimeSpan RateLimitPatience { get; set; } = TimeSpan.FromSeconds(60);
    }

    /// <summary>One retry about to happen, for the caller to report (a warning in PowerShell).</summary>
    internal sealed class RetryNotice
    {
        public RetryNotice(string method, string path, int retry, int maxRetries, TimeSpan delay, string reason)
        {
            Method = method;
            Path = path;
            Retry = retry;
            MaxRetries = maxRetries;
            Delay = delay;
            Reason = reason;
        }

        public string Method { get; }
        public string Path { get; }

        /// <summary>1 for the first retry; 0 for a request sent again after a 429, which uses up no retry.</summary>
        public int Retry { get; }

        public int MaxRetries { get; }

        /// <summary>A request sent again after a 429.</summary>
        public bool RateLimited => Retry == 0;

        public TimeSpan Delay { get; }
        public string Reason { get; }

        public override string ToString() =>
            RateLimited
                ? $"RunAPI {Method} {Path}: {Reason}, the rate limit; sent again in {Delay.TotalSeconds:0.0} s."
                : $"RunAPI {Method} {Path}: {Reason}; retry {Retry} of {MaxRetries} in {Delay.TotalSeconds:0.0} s.";
    }
}
