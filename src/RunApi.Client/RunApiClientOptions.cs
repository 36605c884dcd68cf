using System;
using System.Reflection;
using RunApi.Client.Http;

namespace RunApi.Client
{
    /// <summary>How a <see cref="RunApiClient"/> behaves; the defaults follow the RunAPI SDKs where they set one.</summary>
    internal sealed class RunApiClientOptions
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

        /// <summary>How requests leave this machine: API calls, downloads and uploads alike.</summary>
        public ProxySettings Proxy { get; set; } = ProxySettings.Default;

        /// <summary>Told of every retry before its wait (from whichever thread runs it).</summary>
        public Action<RetryNotice>? RetryObserver { get; set; }

        /// <summary>
        /// How long one image download may take, body included (a response's headers arriving does not end the clock),
        /// every attempt and retry wait together: a server that drips bytes cannot hold a download longer than this.
        /// Uploads of source images get the same.
        /// </summary>
        public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromMinutes(5);

        /// <summary>The largest image a download keeps; a larger body is refused once it passes this.</summary>
        public long MaxImageBytes { get; set; } = DefaultMaxImageBytes;

        /// <summary>200 MB: far above any image the models make (a 4K PNG is under 30 MB).</summary>
        public const long DefaultMaxImageBytes = 200L << 20;

        /// <summary>The largest API answer read; a task or an error is a few KB.</summary>
        public long MaxApiBodyBytes { get; set; } = 4L << 20;

        public string UserAgent { get; set; } = DefaultUserAgent;

        /// <summary>Told of every finished exchange (from whichever thread ran it).</summary>
        public Action<HttpExchange>? Observer { get; set; }

        /// <summary>
        /// Told when an API attempt goes on the wire (after the request budget let it through). With
        /// <see cref="Observer"/>, told when it is done, a fake-clock test knows what is in flight.
        /// </summary>
        internal Action? Sending { get; set; }

        /// <summary>Where learned task timings live: the process-wide registry unless a test brings its own.</summary>
        internal Polling.CompletionTimesRegistry Timings { get; set; } = Polling.CompletionTimesRegistry.Shared;

        /// <summary>Include redacted request and response bodies in what the observer gets.</summary>
        public bool CaptureBodies { get; set; }
    }
}
