using System;
using RunApi.Client.Configuration;

namespace RunApi.Client.Http
{
    /// <summary>The rules of one HTTP attempt: what to call it in messages, how long it may take, the key to keep out of
    /// what comes back, and how many redirects it may follow (each one checked).</summary>
    internal sealed class AttemptRules
    {
        public AttemptRules(string what, TimeSpan timeout, TimeProvider time, ApiKey? key, int maxRedirects = 0, ProxySettings? proxy = null,
            bool toApi = false)
        {
            ToApi = toApi;
            What = what;
            Timeout = timeout;
            Time = time;
            Key = key;
            MaxRedirects = maxRedirects;
            Proxy = proxy ?? ProxySettings.Default;
            var password = Proxy.Password();
            // One mask per password for the process: its pattern is built once, not for every attempt.
            _proxyPassword = string.IsNullOrWhiteSpace(password) ? null : PasswordMasks.GetOrAdd(password!, p => new ApiKey(p));
        }

        private readonly ApiKey? _proxyPassword;
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ApiKey> PasswordMasks =
            new System.Collections.Concurrent.ConcurrentDictionary<string, ApiKey>();

        /// <summary>The way out the request takes, to name the proxy when it refuses the request.</summary>
        public ProxySettings Proxy { get; }

        /// <summary>
        /// The request goes to RunAPI, which answers a refusal in JSON: a 401 or 403 that is not JSON is then taken for
        /// the proxy's. Other hosts (the files host's expired URL) answer 403 in XML of their own.
        /// </summary>
        public bool ToApi { get; }

        /// <summary>How messages name the request, e.g. "GET /api/v1/... on https://runapi.ai".</summary>
        public string What { get; }

        public TimeSpan Timeout { get; }
        public TimeProvider Time { get; }
        public ApiKey? Key { get; }
        public int MaxRedirects { get; }

        /// <summary>
        /// The text with the API key, and the proxy password if there is one, masked in every form they may take: for
        /// what a proxy can write (transport errors, its own answers, redirects).
        /// </summary>
        public string Redact(string? text)
        {
            var masked = RedactKey(text);
            return _proxyPassword is null ? masked : _proxyPassword.Redact(masked);
        }

        /// <summary>
        /// The text with only the API key masked: for RunAPI's own answers, which never see the proxy password. A short
        /// password would mask parts of task ids and URLs.
        /// </summary>
        public string RedactKey(string? text) => Key is null ? text ?? string.Empty : Key.Redact(text);
    }
}
