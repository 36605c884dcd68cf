using System;
using RunApi.Client.Configuration;

namespace RunApi.Client.Http
{
    /// <summary>The rules of one HTTP attempt: what to call it in messages, how long it may take, the key to keep out of
    /// what comes back, and how many redirects it may follow (each one checked).</summary>
    internal sealed class AttemptRules
    {
        public AttemptRules(string what, TimeSpan timeout, TimeProvider time, ApiKey? key, int maxRedirects = 0)
        {
            What = what;
            Timeout = timeout;
            Time = time;
            Key = key;
            MaxRedirects = maxRedirects;
        }

        /// <summary>How messages name the request, e.g. "GET /api/v1/... on https://runapi.ai".</summary>
        public string What { get; }

        public TimeSpan Timeout { get; }
        public TimeProvider Time { get; }
        public ApiKey? Key { get; }
        public int MaxRedirects { get; }

        public string Redact(string? text) => Key is null ? text ?? string.Empty : Key.Redact(text);
    }
}
