using System;
using System.Net;
using RunApi.Client.Configuration;

namespace RunApi.Client.Http
{
    /// <summary>
    /// How requests leave this machine (API calls, image downloads and source uploads alike), as Invoke-RestMethod's
    /// parameters say it. The precedence: <see cref="NoProxy"/> goes direct; else an explicit <see cref="Address"/>;
    /// else HTTPS_PROXY / HTTP_PROXY (or lower case) from the environment, on both editions; else the system's proxy.
    /// NO_PROXY exempts hosts from an explicit proxy and an environment one alike. A proxy is used for every other
    /// address, loopback included (Invoke-WebRequest -Proxy was seen going around a proxy for 127.0.0.1; here an explicit
    /// proxy is the user's word).
    /// </summary>
    internal sealed class ProxySettings : IEquatable<ProxySettings>
    {
        /// <summary>No parameter given: the environment's proxy, else the system's.</summary>
        public static readonly ProxySettings Default = new ProxySettings(null, null, false, false);

        public ProxySettings(Uri? address, NetworkCredential? credential, bool useDefaultCredentials, bool noProxy)
        {
            if (address is not null && !(address.IsAbsoluteUri && (address.Scheme == Uri.UriSchemeHttp || address.Scheme == Uri.UriSchemeHttps)))
            {
                // Named by its scheme only: user:password@proxy:3128 parses with the user as its scheme and the password after it.
                var scheme = address.IsAbsoluteUri ? $" (it starts with '{address.Scheme}:')" : string.Empty;
                throw new ArgumentException(
                    $"The proxy address is not an http:// or https:// address{scheme}: give it as http://host:port, " +
                    "with a user and password as http://user:password@host:port or in -ProxyCredential.", nameof(address));
            }
            // A user and password in the address (http://user:password@proxy:3128) are credentials, never part of a message.
            Address = address is null || string.IsNullOrEmpty(address.UserInfo) ? address
                : new UriBuilder(address) { UserName = string.Empty, Password = string.Empty }.Uri;
            Credential = credential ?? (address is null ? null : CredentialIn(address.OriginalString));
            UseDefaultCredentials = useDefaultCredentials;
            NoProxy = noProxy;
        }

        public Uri? Address { get; }
        public NetworkCredential? Credential { get; }
        public bool UseDefaultCredentials { get; }
        public bool NoProxy { get; }

        /// <summary>
        /// The proxy these settings send through, with the environment read by <paramref name="environment"/>: null to
        /// go direct, <see cref="ChosenProxy.OfSystem"/> for the system's.
        /// </summary>
        public IWebProxy? Choose(Func<string, string?>? environment = null)
        {
            if (NoProxy) return null;
            environment ??= Environment.GetEnvironmentVariable;
            var exempt = BypassList.Parse(Read(environment, "NO_PROXY"));
            if (Address is not null) return new ChosenProxy(Address, Address, exempt, Credentials(Credential));
            var https = Read(environment, "HTTPS_PROXY");
            var http = Read(environment, "HTTP_PROXY");
            if (https is null && http is null) return ChosenProxy.OfSystem(Credentials(null));
            return new ChosenProxy(ParseAddress(https ?? http!), ParseAddress(http ?? https!), exempt, Credentials(CredentialIn(https ?? http!)));
        }

        private ICredentials? Credentials(NetworkCredential? given) =>
            UseDefaultCredentials ? CredentialCache.DefaultCredentials : Credential ?? given;

        private static string? Read(Func<string, string?> environment, string name)
        {
            var value = environment(name);
            if (string.IsNullOrWhiteSpace(value)) value = environment(name.ToLowerInvariant());
            return string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
        }

        /// <summary>A proxy URL as HTTPS_PROXY gives it (maybe without a scheme), without its user information.</summary>
        private static Uri ParseAddress(string value)
        {
            var text = value.Contains("://") ? value : "http://" + value;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
            {
                throw new RunApiConfigurationException("The proxy in HTTPS_PROXY or HTTP_PROXY is not a URL.", RunApiConfigurationProblem.InvalidProxy);
            }
            return new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri;
        }

        /// <summary>The user and password a proxy URL carries (http://user:password@proxy:3128), if any.</summary>
        private static NetworkCredential? CredentialIn(string value)
        {
            var text = value.Contains("://") ? value : "http://" + value;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.UserInfo)) return null;
            var parts = uri.UserInfo.Split(new[] { ':' }, 2);
            return new NetworkCredential(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty);
        }

        /// <summary>The proxy password, for masking wherever text can show it; null when there is none.</summary>
        public string? Password(Func<string, string?>? environment = null)
        {
            if (Credential is { Password: { Length: > 0 } given }) return given;
            if (Address is not null || NoProxy) return null;
            environment ??= Environment.GetEnvironmentVariable;
            var url = Read(environment, "HTTPS_PROXY") ?? Read(environment, "HTTP_PROXY");
            return url is null ? null : CredentialIn(url)?.Password is { Length: > 0 } password ? password : null;
        }

        public bool Equals(ProxySettings? other) =>
            other is not null && Equals(Address, other.Address) && UseDefaultCredentials == other.UseDefaultCredentials && NoProxy == other.NoProxy &&
            Credential?.UserName == other.Credential?.UserName && Credential?.Password == other.Credential?.Password &&
            Credential?.Domain == other.Credential?.Domain;

        public override bool Equals(object? obj) => Equals(obj as ProxySettings);

        public override int GetHashCode() => (Address?.GetHashCode() ?? 0) ^ (Credential?.UserName?.GetHashCode() ?? 0) ^ (NoProxy ? 1 : 2) ^ (UseDefaultCredentials ? 4 : 8);
    }
}
