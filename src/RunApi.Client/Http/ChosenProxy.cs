using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace RunApi.Client.Http
{
    /// <summary>
    /// The proxy a request goes through: one address for https URLs and one for http, the hosts NO_PROXY exempts, and
    /// the credentials to give it. It carries loopback addresses too: an explicit proxy is the user's word.
    /// </summary>
    internal sealed class ChosenProxy : IWebProxy
    {
        private readonly Uri? _forHttps;
        private readonly Uri? _forHttp;
        private readonly BypassList _exempt;
        private readonly IWebProxy? _system;

        public ChosenProxy(Uri forHttps, Uri forHttp, BypassList exempt, ICredentials? credentials)
        {
            _forHttps = forHttps;
            _forHttp = forHttp;
            _exempt = exempt;
            Credentials = credentials;
        }

        private ChosenProxy(IWebProxy system, ICredentials? credentials)
        {
            _system = system;
            _exempt = BypassList.Parse(null);
            Credentials = credentials;
        }

        /// <summary>The system's proxy (Windows' settings; elsewhere what .NET finds), with these credentials.</summary>
        public static IWebProxy OfSystem(ICredentials? credentials)
        {
#if NETFRAMEWORK
            var system = WebRequest.GetSystemWebProxy();
#else
            var system = global::System.Net.Http.HttpClient.DefaultProxy;
#endif
            return credentials is null ? system : new ChosenProxy(system, credentials);
        }

        public ICredentials? Credentials { get; set; }

        public Uri? GetProxy(Uri destination)
        {
            if (_system is not null) return _system.GetProxy(destination);
            return destination.Scheme == Uri.UriSchemeHttps ? _forHttps : _forHttp;
        }

        public bool IsBypassed(Uri host) => _system?.IsBypassed(host) ?? _exempt.Matches(host);

        /// <summary>Where a request to <paramref name="destination"/> goes, for messages: the proxy's address, or null when direct.</summary>
        public static Uri? AddressFor(IWebProxy? proxy, Uri destination)
        {
            if (proxy is null || proxy.IsBypassed(destination)) return null;
            var address = proxy.GetProxy(destination);
            return address is null || address == destination ? null : address;
        }
    }

    /// <summary>
    /// NO_PROXY as curl and .NET read it: a comma-separated list of host names (each also covering its subdomains, with
    /// or without a leading dot), IP addresses and host:port pairs; <c>*</c> exempts every host.
    /// </summary>
    internal sealed class BypassList
    {
        private readonly List<(string Host, int? Port)> _entries;
        private readonly bool _all;

        private BypassList(List<(string, int?)> entries, bool all)
        {
            _entries = entries;
            _all = all;
        }

        public static BypassList Parse(string? value)
        {
            var entries = new List<(string, int?)>();
            var all = false;
            foreach (var raw in (value ?? string.Empty).Split(new[] { ',', ' ' }, StringSplitOptions.RemoveEmptyEntries))
            {
                if (raw == "*") all = true;
                var entry = raw.TrimStart('.').ToLowerInvariant();
                int? port = null;
                var colon = entry.LastIndexOf(':');
                if (colon > 0 && entry.IndexOf(':') == colon && int.TryParse(entry.Substring(colon + 1), out var p))
                {
                    port = p;
                    entry = entry.Substring(0, colon);
                }
                if (entry.Length > 0) entries.Add((entry.Trim('[', ']'), port));
            }
            return new BypassList(entries, all);
        }

        public bool Matches(Uri destination)
        {
            if (_all) return true;
            var host = destination.IdnHost.Trim('[', ']').ToLowerInvariant();
            return _entries.Any(e => (e.Port is null || e.Port == destination.Port) &&
                                     (host == e.Host || host.EndsWith("." + e.Host, StringComparison.Ordinal)));
        }
    }
}
