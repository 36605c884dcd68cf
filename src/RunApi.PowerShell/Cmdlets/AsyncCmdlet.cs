using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using RunApi.Client;
using RunApi.Client.Batches;
using RunApi.Client.Downloads;
using RunApi.Client.Http;
using RunApi.Client.Models;

namespace RunApi.PowerShell.Cmdlets
{
    /// <summary>
    /// A cmdlet whose work runs in the background: it owns that work (a <see cref="BatchWork"/>, and the batch on it),
    /// pumps its news on the pipeline thread (the only thread that may write) through a <see cref="PipelineInbox"/>,
    /// stops it on Ctrl+C, and, being IDisposable, is disposed by PowerShell however the pipeline ends (-ErrorAction
    /// Stop, Select-Object -First, Ctrl+C): the work is cancelled and waited for there, and what it left unfinished is
    /// reported.
    /// </summary>
    public abstract class AsyncCmdlet : PSCmdlet, IDisposable
    {
        private BatchWork? _work;
        private PipelineInbox? _inbox;
        private PipelineBatch? _batch;
        private ProgressTracker? _progress;
        private bool _disposed;

        /// <summary>
        /// How often a failed request is retried (408, 429, 5xx, connection failures), with exponential backoff and
        /// Retry-After honoured. 0 turns retries off. Creates are retried with the same Idempotency-Key, so a retry
        /// never pays twice.
        /// </summary>
        [Parameter]
        [Alias("MaximumRetryCount")] // Invoke-RestMethod's name for it
        [ValidateRange(0, 10)]
        public int MaxRetries { get; set; } = new RetryOptions().MaxRetries;

        /// <summary>The command's background work: its batch's, and single calls' (<see cref="RunOne"/>).</summary>
        internal BatchWork Work => _work ??= new BatchWork();

        /// <summary>What the work hands to the pipeline thread; stopped with the work.</summary>
        internal PipelineInbox Inbox => _inbox ??= new PipelineInbox(Work.Token, Work.Stop) { Tick = () => _progress?.Refresh() };

        /// <summary>The call's batch, made on first use from <see cref="BatchSettingsFor"/>.</summary>
        internal PipelineBatch Batch => _batch ??= CreateBatch();

        /// <summary>The batch if one was made: for questions at the end that must not make one.</summary>
        internal PipelineBatch? StartedBatch => _batch;

        private PipelineBatch CreateBatch()
        {
            var settings = BatchSettingsFor();
            settings.Downloader ??= new ImageDownloader(ClientOptions());
            var batch = new PipelineBatch(this, Inbox, BatchClient(), Work, settings);
            if (ProgressActivity() is { } activity) _progress = new ProgressTracker(this, activity, batch.Counts, DescribeProgress);
            return batch;
        }

        /// <summary>The client for the batch's API calls; null for a cmdlet that only downloads.</summary>
        internal abstract RunApiClient? BatchClient();

        /// <summary>The batch's bounds and choices.</summary>
        internal abstract BatchSettings BatchSettingsFor();

        /// <summary>
        /// For the Save goal: where image <paramref name="index"/> of a completed input goes. Asked on the batch's work
        /// (any thread, several at once), so it writes nothing to the pipeline.
        /// </summary>
        internal virtual DownloadTarget SaveTargetFor(BatchInput input, int index, TaskImage image) =>
            throw new NotSupportedException(GetType().Name + " saves no images.");

        /// <summary>
        /// Before each create is sent (uploads of local source images), on the batch's work: it writes nothing to the
        /// pipeline.
        /// </summary>
        internal virtual Task BeforeCreateAsync(CreateTaskRequest request, CancellationToken token) => Task.CompletedTask;

        /// <summary>The progress bar's title, or null for none.</summary>
        internal virtual string? ProgressActivity() => null;

        internal virtual string DescribeProgress(BatchCounts counts) =>
            $"{counts.Ended} of {counts.Submitted} done, {counts.Failed} failed";

        /// <summary>
        /// Starts an input once its first stage has room, handling news meanwhile: input is read only as fast as
        /// the batch takes it.
        /// </summary>
        internal void Submit(BatchInput input)
        {
            var batch = Batch;
            Pump(() => batch.HasRoomFor(input.Entry));
            batch.Submit(input);
            Inbox.RunReady();
        }

        /// <summary>Handles news until the condition holds; a stop (Ctrl+C) ends it as a stopped pipeline.</summary>
        internal void Pump(Func<bool> until)
        {
            try
            {
                Inbox.RunUntil(until);
            }
            catch (OperationCanceledException) when (Work.IsStopped)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>
        /// Runs one call in the background and returns its result, handling news (verbose lines, retry warnings)
        /// meanwhile; Ctrl+C cancels it. Its failure is thrown here, on the pipeline thread.
        /// </summary>
        internal T RunOne<T>(Func<CancellationToken, Task<T>> call)
        {
            Task<T>? running = null;
            var inbox = Inbox;
            Work.Start(token =>
            {
                running = call(token);
                running.ContinueWith(_ => inbox.Post(() => { }), TaskScheduler.Default); // wakes the pump at once
                return running;
            });
            Pump(() => running is { IsCompleted: true });
            return running!.GetAwaiter().GetResult();
        }

        /// <summary>A downloader wired to this cmdlet's streams, with a size cap per image and, if given, a deadline per image.</summary>
        internal ImageDownloader Downloader(int maxImageSizeMB, TimeSpan? timeout = null)
        {
            var options = ClientOptions();
            options.MaxImageBytes = (long)maxImageSizeMB << 20;
            if (timeout.HasValue) options.DownloadTimeout = timeout.Value;
            return new ImageDownloader(options);
        }

        /// <summary>Client options wired to this cmdlet's streams: -Verbose, -Debug, and a warning per retry.</summary>
        internal RunApiClientOptions ClientOptions()
        {
            var inbox = Inbox;
            var debug = WantsDebug();
            return new RunApiClientOptions
            {
                CaptureBodies = debug,
                Observer = exchange => inbox.Post(() => WriteExchange(exchange, debug)),
                Retry = RetryOptionsFor(MaxRetries, RateLimitPatience),
                Proxy = ProxyChoice(),
                RetryObserver = notice => inbox.Post(() => WriteRetry(notice)),
            };
        }

        /// <summary>How this call's requests leave the machine; a cmdlet that talks to the network takes -Proxy and friends.</summary>
        internal virtual ProxySettings ProxyChoice() => ProxySettings.Default;

        /// <summary>How long one request may go on being refused with 429; a cmdlet with -TimeoutSec bounds it by that.</summary>
        internal virtual TimeSpan? RateLimitPatience => null;

        private static RetryOptions RetryOptionsFor(int maxRetries, TimeSpan? patience)
        {
            var options = new RetryOptions { MaxRetries = maxRetries };
            if (patience < options.RateLimitPatience) options.RateLimitPatience = patience.Value;
            return options;
        }

        private bool _rateLimitWarned;

        /// <summary>
        /// A warning per retry of a failure; for 429s one warning per command (a rate limit can refuse hundreds of
        /// requests, each sent again as it allows), and the rest in -Verbose.
        /// </summary>
        private void WriteRetry(RetryNotice notice)
        {
            if (!notice.RateLimited)
            {
                WriteWarning(notice.ToString());
            }
            else if (_rateLimitWarned)
            {
                WriteVerbose(notice.ToString());
            }
            else
            {
                _rateLimitWarned = true;
                WriteWarning(notice + " Requests are paced to the limit and sent again as it allows (a refused request " +
                    "is not charged); further 429s of this command are shown only with -Verbose.");
            }
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

        /// <summary>Ctrl+C, on another thread: stops all the work at once (a create already sent keeps its answer grace).</summary>
        protected override void StopProcessing() => _work?.Stop();

        /// <summary>Handles news until the cmdlet has handled the end of every input of its batch.</summary>
        protected override void EndProcessing()
        {
            if (_batch is not null)
            {
                var batch = _batch;
                Pump(() => batch.IsIdle || StopWaiting());
            }
            else
            {
                _inbox?.RunReady();
            }
            _progress?.Complete();
        }

        /// <summary>
        /// Called by PowerShell when the pipeline ends, for any reason. Cancels the work and waits for it, so that
        /// nothing is sent or downloaded after the command returns, then reports what was paid for and not handed over.
        /// </summary>
        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _work?.Dispose();
            _inbox?.Dispose();
            try
            {
                if (_batch is { IsIdle: false } batch) ReportUnfinished(batch);
            }
            finally
            {
                ReleaseResources();
            }
        }

        /// <summary>True when the command must stop waiting for its work before it is done (New-ImagenImage -MaxDuration).</summary>
        internal virtual bool StopWaiting() => false;

        /// <summary>After the work has ended: close what the command holds open (a journal and its lock).</summary>
        internal virtual void ReleaseResources()
        {
        }

        /// <summary>After a stop: name what the batch leaves behind that the user may need (paid tasks).</summary>
        internal virtual void ReportUnfinished(PipelineBatch batch)
        {
        }

        /// <summary>
        /// A warning that must get through while the pipeline is stopping, when the warning stream may no longer take
        /// one: then it goes to the host directly.
        /// </summary>
        internal void WarnEvenWhenStopping(string message)
        {
            try
            {
                WriteWarning(message);
                return;
            }
            catch (PipelineStoppedException)
            {
            }
            catch (InvalidOperationException)
            {
            }
            try
            {
                Host?.UI?.WriteWarningLine(message);
            }
            catch (Exception)
            {
                // The host is gone too: nothing is left that could show it.
            }
        }

        // The batch's events, on the pipeline thread, in order for each input (see IBatchHost).
        internal virtual void OnCreated(BatchInput input) { }
        internal virtual void OnCompleted(BatchInput input) { }
        internal virtual void OnLooked(BatchInput input) { }
        internal virtual void OnSaved(BatchInput input, int imageIndex, DownloadedImage image) { }
        internal abstract void OnFailed(BatchInput input, BatchFailure failure);
        internal virtual void OnEnded(BatchInput input) { }
    }
}
