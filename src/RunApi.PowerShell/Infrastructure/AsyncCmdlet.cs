using System.Management.Automation;
using RunApi.Client;
using RunApi.Client.Http;

namespace RunApi.PowerShell.Infrastructure
{
    /// <summary>
    /// A cmdlet that does asynchronous work: owns the <see cref="PipelineWork"/>, stops it on Ctrl+C, reports each HTTP
    /// exchange as one -Verbose line (bodies under -Debug), and keeps one progress bar for the call.
    /// </summary>
    public abstract class AsyncCmdlet : PSCmdlet
    {
        private PipelineWork? _work;
        private ProgressTracker? _progress;

        /// <summary>
        /// How often a failed request is retried (408, 429, 5xx, connection failures), with exponential backoff and
        /// Retry-After honoured. 0 turns retries off. Creates are retried with the same Idempotency-Key, so a retry
        /// never pays twice.
        /// </summary>
        [Parameter]
        [ValidateRange(0, 10)]
        public int MaxRetries { get; set; } = new RetryOptions().MaxRetries;

        internal PipelineWork Work => _work ??= new PipelineWork();

        /// <summary>The call's one progress bar, made on first use and completed when the call ends.</summary>
        internal ProgressTracker Progress(int activityId, string activity) =>
            _progress ??= new ProgressTracker(this, activityId, activity);

        /// <summary>Client options wired to this cmdlet's streams: -Verbose, -Debug, and a warning per retry.</summary>
        internal RunApiClientOptions ClientOptions()
        {
            var work = Work;
            var debug = WantsDebug();
            return new RunApiClientOptions
            {
                CaptureBodies = debug,
                Observer = exchange => work.Post(() => WriteExchange(exchange, debug)),
                Retry = new RetryOptions { MaxRetries = MaxRetries },
                RetryObserver = notice => work.Post(() => WriteWarning(notice.ToString())),
            };
        }

        private void WriteExchange(HttpExchange exchange, bool debug)
        {
            WriteVerbose("RunAPI " + exchange);
            if (!debug) return;
            if (!string.IsNullOrEmpty(exchange.RequestBody)) WriteDebug($"RunAPI {exchange.Method} {exchange.Path} request body: {exchange.RequestBody}");
            if (!string.IsNullOrEmpty(exchange.ResponseBody)) WriteDebug($"RunAPI {exchange.Method} {exchange.Path} response body: {exchange.ResponseBody}");
        }

        private bool WantsDebug()
        {
            // -Debug on a compiled cmdlet changes its own runtime, not $DebugPreference: look at both.
            if (MyInvocation.BoundParameters.TryGetValue("Debug", out var flag) && flag is SwitchParameter debugSwitch)
            {
                return debugSwitch.IsPresent;
            }
            var preference = GetVariableValue("DebugPreference");
            var value = preference is PSObject wrapped ? wrapped.BaseObject : preference;
            return value is ActionPreference action && action != ActionPreference.SilentlyContinue && action != ActionPreference.Ignore;
        }

        protected override void StopProcessing() => _work?.Stop();

        protected override void EndProcessing()
        {
            try
            {
                Work.RunUntilDone();
            }
            finally
            {
                _work?.Dispose();
                _work = null;
                _progress?.Complete();
            }
        }
    }
}
