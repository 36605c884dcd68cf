using System;
using System.Net;
using System.Net.Http;
using System.Threading;

namespace RunApi.Client.Http
{
    /// <summary>
    /// The two HttpClients of the process, created on first use and shared by every runspace, so connections are
    /// pooled instead of opened per request. Neither holds per-caller state: the key travels on each request.
    /// </summary>
    internal static class SharedHttpClients
    {
        // Enough parallel connections for a throttled batch; .NET Framework would otherwise allow 2 per host.
        private const int MaxConnectionsPerServer = 64;

        private static readonly Lazy<HttpClient> ApiClient = new Lazy<HttpClient>(CreateApiClient, LazyThreadSafetyMode.ExecutionAndPublication);
        private static readonly Lazy<HttpClient> DownloadClient = new Lazy<HttpClient>(CreateDownloadClient, LazyThreadSafetyMode.ExecutionAndPublication);

        /// <summary>For the API: redirects are not followed, so the Authorization header can never reach another origin.</summary>
        public static HttpClient Api => ApiClient.Value;

        /// <summary>For image downloads: never carries the key. Follows redirects (https to http ones are refused by .NET).</summary>
        public static HttpClient Downloads => DownloadClient.Value;

        private static HttpClient CreateApiClient()
        {
            var handler = new HttpClientHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                MaxConnectionsPerServer = MaxConnectionsPerServer,
            };
            // Timeouts are per request (a CancellationToken from the caller's TimeProvider), not per client.
            return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        }

        private static HttpClient CreateDownloadClient()
        {
            var handler = new HttpClientHandler
            {
                AllowAutoRedirect = true,
                UseCookies = false,
                MaxConnectionsPerServer = MaxConnectionsPerServer,
            };
            return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        }
    }
}
