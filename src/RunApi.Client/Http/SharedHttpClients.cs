using System;
using System.Net;
using System.Net.Http;
using System.Threading;

namespace RunApi.Client.Http
{
    /// <summary>
    /// The two HttpClients of the process, created on first use and shared by every runspace, so connections are
    /// pooled instead of opened per request. Neither holds per-caller state: the key travels on each request, and
    /// neither follows a redirect by itself (<see cref="HttpAttempt"/> checks each hop, where one is allowed).
    /// </summary>
    internal static class SharedHttpClients
    {
        // Enough parallel connections for a throttled batch; .NET Framework would otherwise allow 2 per host.
        private const int MaxConnectionsPerServer = 64;

        // A pooled connection is replaced after this long, so a DNS change (a failover) is seen within minutes.
        internal static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(5);

        private static readonly Lazy<HttpClient> ApiClient = new Lazy<HttpClient>(() => Create(decompress: true), LazyThreadSafetyMode.ExecutionAndPublication);
        private static readonly Lazy<HttpClient> DownloadClient = new Lazy<HttpClient>(() => Create(decompress: false), LazyThreadSafetyMode.ExecutionAndPublication);

        /// <summary>For the API: the Authorization header can never reach another origin.</summary>
        public static HttpClient Api => ApiClient.Value;

        /// <summary>For image downloads and uploads: never carries the key.</summary>
        public static HttpClient Downloads => DownloadClient.Value;

        private static HttpClient Create(bool decompress)
        {
            // Timeouts are per request (a CancellationToken from the caller's TimeProvider), not per client.
            return new HttpClient(CreateHandler(decompress)) { Timeout = Timeout.InfiniteTimeSpan };
        }

        internal static HttpMessageHandler CreateHandler(bool decompress)
        {
            var decompression = decompress ? DecompressionMethods.GZip | DecompressionMethods.Deflate : DecompressionMethods.None;
#if NETFRAMEWORK
            // Windows PowerShell 5.1: TLS 1.2 is not on by default in .NET Framework.
            ServicePointManager.SecurityProtocol = WithModernTls(ServicePointManager.SecurityProtocol);
            return new HttpClientHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = decompression,
                MaxConnectionsPerServer = MaxConnectionsPerServer,
            };
#else
            // PowerShell 7: SocketsHttpHandler, the handler with a connection lifetime.
            return new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = decompression,
                MaxConnectionsPerServer = MaxConnectionsPerServer,
                PooledConnectionLifetime = PooledConnectionLifetime,
            };
#endif
        }

        /// <summary>The protocols given plus TLS 1.2 (and 1.3 where the framework knows it); SystemDefault is left alone.</summary>
        internal static SecurityProtocolType WithModernTls(SecurityProtocolType current)
        {
            if (current == 0) return current; // SystemDefault: the OS already offers its best
            const int tls13 = 12288;
            var modern = SecurityProtocolType.Tls12;
            if (Enum.IsDefined(typeof(SecurityProtocolType), tls13)) modern |= (SecurityProtocolType)tls13;
            return current | modern;
        }
    }
}
