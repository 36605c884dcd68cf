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

        /// <summary>How long one attempt of an API request may take before it counts as a timeout (and is retried).</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

        /// <summary>How long one request may take with all its retries and their waits.</summary>
        public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMinutes(5);

        public RetryOptions Retry { get; set; } = new RetryOptions();

        /// <summary>Told of every retry before its wait (from whichever thread runs it).</summary>
        public Action<RetryNotice>? RetryObserver { get; set; }

        /// <summary>
        /// How long one attempt of an image download may take, body included (a response's headers arriving does not
        /// end the clock). All attempts of one download together get this times the number of attempts.
        /// </summary>
        public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromMinutes(5);

        public string UserAgent { get; set; } = DefaultUserAgent;

        /// <summary>Told of every finished exchange (from whichever thread ran it).</summary>
        public Action<HttpExchange>? Observer { get; set; }

        /// <summary>Where learned task timings live: the process-wide registry unless a test brings its own.</summary>
        internal Polling.CompletionTimesRegistry Timings { get; set; } = Polling.CompletionTimesRegistry.Shared;

        /// <summary>Include redacted request and response bodies in what the observer gets.</summary>
        public bool CaptureBodies { get; set; }
    }
}
