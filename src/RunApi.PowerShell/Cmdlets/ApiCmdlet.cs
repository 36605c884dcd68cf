using System;
using System.Management.Automation;
using System.Net;
using System.Security;
using RunApi.Client;
using RunApi.Client.Configuration;
using RunApi.Client.Http;
using RunApi.PowerShell.Errors;
using RunApi.PowerShell.Parameters;

namespace RunApi.PowerShell.Cmdlets
{
    /// <summary>A cmdlet that calls the API: -ApiKey and -BaseUri, each winning over the environment.</summary>
    public abstract class ApiCmdlet : AsyncCmdlet
    {
        /// <summary>The RunAPI key; default: $env:RUNAPI_API_KEY.</summary>
        [Parameter]
        [ApiKeyTransformation]
        public SecureString? ApiKey { get; set; }

        /// <summary>The API origin; default: $env:RUNAPI_BASE_URL, else https://runapi.ai.</summary>
        [Parameter]
        public Uri? BaseUri { get; set; }

        /// <summary>A proxy for every request of the call (API, downloads, uploads), as Invoke-RestMethod's -Proxy.</summary>
        [Parameter]
        public Uri? Proxy { get; set; }

        /// <summary>The proxy's user and password.</summary>
        [Parameter]
        [Credential]
        public PSCredential? ProxyCredential { get; set; }

        /// <summary>Gives the proxy the logged-on user's credentials (Windows: the account's Kerberos or NTLM).</summary>
        [Parameter]
        public SwitchParameter ProxyUseDefaultCredentials { get; set; }

        /// <summary>Goes direct, around any proxy of the environment or the system.</summary>
        [Parameter]
        public SwitchParameter NoProxy { get; set; }

        internal override ProxySettings ProxyChoice()
        {
            if (NoProxy && (Proxy is not null || ProxyCredential is not null || ProxyUseDefaultCredentials))
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument("RunApiInvalidParameter",
                    "-NoProxy goes around every proxy: give it without -Proxy, -ProxyCredential and -ProxyUseDefaultCredentials.", "NoProxy"));
            }
            if (ProxyCredential is not null && ProxyUseDefaultCredentials)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument("RunApiInvalidParameter",
                    "Give the proxy either -ProxyCredential or -ProxyUseDefaultCredentials, not both.", "ProxyCredential"));
            }
            var proxy = this.ParameterValue("RunApiInvalidParameter", "-Proxy", () =>
                new ProxySettings(Proxy, ProxyCredential?.GetNetworkCredential(), ProxyUseDefaultCredentials, NoProxy));
            try
            {
                proxy.Choose(); // a proxy variable of the environment that is not a URL ends the call here, before anything is sent
            }
            catch (RunApiConfigurationException ex)
            {
                ThrowTerminatingError(ErrorRecords.From(ex, null));
            }
            return proxy;
        }

        private RunApiClient? _client;

        /// <summary>The client for this invocation; a missing key or unusable base URI ends the command.</summary>
        internal RunApiClient Client => _client ??= CreateClient();

        internal override RunApiClient? BatchClient() => Client;

        /// <summary>The client when a key and base URI can be found; null otherwise (for a cmdlet that can do without).</summary>
        internal RunApiClient? ClientIfConfigured() => _client ??= CreateClient(missingKeyIsNull: true);

        private RunApiClient CreateClient() => CreateClient(missingKeyIsNull: false)!;

        private RunApiClient? CreateClient(bool missingKeyIsNull)
        {
            try
            {
                var key = ApiKey is null ? null : new NetworkCredential(string.Empty, ApiKey).Password;
                var settings = RunApiSettings.Resolve(key, BaseUri?.OriginalString);
                return new RunApiClient(settings, ClientOptions());
            }
            catch (RunApiConfigurationException ex) when (missingKeyIsNull && ex.Problem == RunApiConfigurationProblem.MissingApiKey)
            {
                return null;
            }
            catch (RunApiConfigurationException ex)
            {
                ThrowTerminatingError(ErrorRecords.From(ex, BaseUri));
                throw; // not reached: ThrowTerminatingError always throws
            }
        }
    }
}
