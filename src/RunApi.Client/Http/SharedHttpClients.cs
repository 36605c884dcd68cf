using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;

namespace RunApi.Client.Http
{
    /// <summary>
    /// The HttpClients of the process, two per way out (the API's, and the one for downloads and uploads), created on
    /// first use and shared by every runspace, so connections are pooled instead of opened per request. Neither holds
    /// per-caller state: the key travels on each request, and neither follows a redirect by itself
    /// (<see cref="HttpAttempt"/> checks each hop, where one is allowed). A way out is a <see cref="ProxySettings"/> with
    /// the proxy variables of the environment at the time, so that setting HTTPS_PROXY in a session takes effect.
    /// </summary>
    internal static class SharedHttpClients
    {
        // Enough parallel connections for a throttled batch; .NET Framework would otherwise allow 2 per host.
        private const int MaxConnectionsPerServer = 64;

        // A pooled connection is replaced after this long, so a DNS change (a failover) is seen within minutes.
        internal static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(5);

        private static readonly ConcurrentDictionary<(ProxySettings, string, bool), Lazy<HttpClient>> Clients =
            new ConcurrentDictionary<(ProxySettings, string, bool), Lazy<HttpClient>>();

        /// <summary>For the API: the Authorization header can never reach another origin.</summary>
        public static HttpClient Api(ProxySettings proxy) => For(proxy, decompress: true);

        /// <summary>For image downloads and uploads: never carries the key.</summary>
        public static HttpClient Downloads(ProxySettings proxy) => For(proxy, decompress: false);

        private static HttpClient For(ProxySettings proxy, bool decompress)
        {
            var environment = string.Join("\n", ProxyVariables.Select(Environment.GetEnvironmentVariable));
            // Timeouts are per request (a CancellationToken from the caller's TimeProvider), not per client.
            return Clients.GetOrAdd((proxy, environment, decompress), key => new Lazy<HttpClient>(
                () => new HttpClient(CreateHandler(decompress, proxy.Choose())) { Timeout = Timeout.InfiniteTimeSpan },
                LazyThreadSafetyMode.ExecutionAndPublication)).Value;
        }

        private static readonly string[] ProxyVariables = { "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy" };

        /// <param name="proxy">The proxy to go through; null to go direct.</param>
        internal static HttpMessageHandler CreateHandler(bool decompress, IWebProxy? proxy)
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
                UseProxy = proxy is not null,
                Proxy = proxy,
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
                UseProxy = proxy is not null,
                Proxy = proxy,
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
