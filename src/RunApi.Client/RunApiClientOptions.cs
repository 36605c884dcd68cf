using System;
using System.Reflection;
using RunApi.Client.Http;

namespace RunApi.Client
{
    /// <summary>How a <see cref="RunApiClient"/> behaves; the defaults follow the RunAPI SDKs where they set one.</summary>
    public sealed class RunApiClientOptions
    {
        public static readonly string DefaultUserAgent =
            "RunApi-PowerShell/" + (typeof(RunApiClientOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()
                ?.InformationalVersion.Split('+')[0] ?? "0.0.0");

        /// <summary>The clock for timeouts, polling and Retry-After dates; tests pass a fake one.</summary>
        public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

        /// <summary>How long one API request may take before it counts as a timeout.</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

        /// <summary>How long one image download may take, body included.</summary>
        public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromMinutes(10);

        public string UserAgent { get; set; } = DefaultUserAgent;

        /// <summary>Told of every finished exchange (from whichever thread ran it).</summary>
        public Action<HttpExchange>? Observer { get; set; }

        /// <summary>Include redacted request and response bodies in what the observer gets.</summary>
        public bool CaptureBodies { get; set; }
    }
}
