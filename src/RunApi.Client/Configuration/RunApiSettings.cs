using System;
using System.Net;

namespace RunApi.Client.Configuration
{
    /// <summary>Where the API is and which key to use. Immutable: every call carries its own settings.</summary>
    internal sealed class RunApiSettings
    {
        public static readonly Uri DefaultBaseUri = new Uri("https://runapi.ai");

        public RunApiSettings(Uri baseUri, ApiKey apiKey)
        {
            BaseUri = RequireUsableBaseUri(baseUri);
            // Like the Go SDK: drop trailing slashes so the base and a path join with exactly one.
            _baseText = BaseUri.GetLeftPart(UriPartial.Path).TrimEnd('/');
            ApiKey = apiKey ?? throw new ArgumentNullException(nameof(apiKey));
        }

        private readonly string _baseText;

        /// <summary>The API origin, with any path prefix.</summary>
        public Uri BaseUri { get; }

        /// <summary>The absolute URI of an API path such as <c>/api/v1/me</c>.</summary>
        public Uri BuildUri(string apiPath) => new Uri(_baseText + apiPath);

        public ApiKey ApiKey { get; }

        /// <summary>
        /// Resolves the settings the way the RunAPI CLI does: the caller's values first, then the environment
        /// (RUNAPI_BASE_URL; RUNAPI_API_KEY, then RUNAPI_KEY), then the default origin. Blank values count as missing.
        /// </summary>
        /// <param name="environment">Reads an environment variable; tests pass their own.</param>
        public static RunApiSettings Resolve(string? apiKey, string? baseUri, Func<string, string?>? environment = null)
        {
            environment ??= Environment.GetEnvironmentVariable;
            var key = FirstNonBlank(apiKey, environment(EnvironmentVariables.ApiKey), environment(EnvironmentVariables.LegacyApiKey));
            if (key is null)
            {
                throw new RunApiConfigurationException(
                    $"No RunAPI API key was found: none was given, and {EnvironmentVariables.ApiKey} and {EnvironmentVariables.LegacyApiKey} are not set.",
                    RunApiConfigurationProblem.MissingApiKey);
            }

            return new RunApiSettings(ResolveBaseUri(baseUri, environment), new ApiKey(key));
        }

        /// <summary>The base URI a command uses, without needing the key: the caller's, else RUNAPI_BASE_URL, else the default.</summary>
        /// <exception cref="RunApiConfigurationException">It is not a base URI the client may use.</exception>
        public static Uri ResolveBaseUri(string? baseUri, Func<string, string?>? environment = null)
        {
            environment ??= Environment.GetEnvironmentVariable;
            return ParseBaseUri(FirstNonBlank(baseUri, environment(EnvironmentVariables.BaseUrl)));
        }

        /// <summary>True for hosts that never leave this machine, where plain http is allowed (the simulator).</summary>
        public static bool IsLoopback(Uri uri)
        {
            if (uri.IsLoopback) return true;
            var host = uri.Host.Trim('[', ']');
            return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
        }

        /// <summary>https everywhere; http only for loopback.</summary>
        public static bool IsSecureOrLoopback(Uri uri) =>
            uri.IsAbsoluteUri &&
            (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri)));

        private static Uri ParseBaseUri(string? text)
        {
            if (text is null) return DefaultBaseUri;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
            {
                throw new RunApiConfigurationException(
                    $"The base URI '{text}' is not an absolute URI. Use the form https://runapi.ai.",
                    RunApiConfigurationProblem.InvalidBaseUri);
            }
            return uri;
        }

        private static Uri RequireUsableBaseUri(Uri uri)
        {
            if (uri is null) throw new ArgumentNullException(nameof(uri));
            if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw new RunApiConfigurationException(
                    $"The base URI '{uri}' must be an absolute https URI, such as https://runapi.ai.",
                    RunApiConfigurationProblem.InvalidBaseUri);
            }
            if (!IsSecureOrLoopback(uri))
            {
                throw new RunApiConfigurationException(
                    $"The base URI '{uri}' uses plain http. The API key is only sent over https " +
                    "(http is allowed for loopback addresses such as the local simulator). Use https://.",
                    RunApiConfigurationProblem.InsecureBaseUri);
            }
            if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
            {
                throw new RunApiConfigurationException(
                    $"The base URI '{uri.GetLeftPart(UriPartial.Path)}' must not carry a query, fragment or user info.",
                    RunApiConfigurationProblem.InvalidBaseUri);
            }
            return uri;
        }

        private static string? FirstNonBlank(params string?[] values)
        {
            foreach (var value in values)
            {
                if (!string.IsNullOrWhiteSpace(value)) return value!.Trim();
            }
            return null;
        }
    }
}
