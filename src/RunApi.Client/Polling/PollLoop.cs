using System;
using System.Threading;
using System.Threading.Tasks;
using RunApi.Client.Errors;
using RunApi.Client.Models;

namespace RunApi.Client.Polling
{
    /// <summary>
    /// Waits for one task: looks until it is terminal or the deadline passes, pausing as its <see cref="IPollDelay"/>
    /// says and never less than the service asks (Retry-After); any error but a transient look's ends the wait.
    /// </summary>
    internal sealed class PollLoop
    {
        private readonly RunApiClient _client;
        private readonly TimeProvider _time;
        private readonly CompletionTimesRegistry _timings;

        public PollLoop(RunApiClient client, TimeProvider time, CompletionTimesRegistry timings)
        {
            _client = client;
            _time = time;
            _timings = timings;
        }

        public async Task<TaskResponse> WaitAsync(PendingTask pending, WaitOptions options, Action<TaskResponse>? onPoll,
            CancellationToken cancellationToken)
        {
            var start = _time.GetUtcNow();
            var deadline = start + options.Timeout;
            var from = pending.SubmittedAt ?? start;
            var delay = DelayFor(pending, options);
            TaskResponse? last = null;
            var atLeast = TimeSpan.Zero;
            var setbacks = 0;
            while (true)
            {
                await PauseAsync(delay, from, atLeast, deadline, cancellationToken).ConfigureAwait(false);
                var due = _time.GetUtcNow();
                try
                {
                    var task = await _client.GetTaskAsync(pending.Endpoint, pending.Id, cancellationToken, options.Looks).ConfigureAwait(false);
                    last = task;
                    setbacks = 0;
                    onPoll?.Invoke(task);
                    if (task.State == TaskState.Failed) throw WaitErrors.Failed(task);
                    // Aged when it was due, not when a rate limit let it be asked: a task running then was running at
                    // its due time too, and one found done is credited to that time, so that looks held back in the
                    // request budget's queue do not teach that tasks take longer (the window would drift later with
                    // every batch, and the last tasks of a batch, asked with no queue, be looked at seconds late).
                    delay.Looked(due - from, task.State == TaskState.Completed);
                    if (task.State == TaskState.Completed) return WaitErrors.RequireImages(task);
                    // Never a busy loop, whatever the delay or the service says.
                    atLeast = task.PollAfter > PollTuning.MinPause ? task.PollAfter.Value : PollTuning.MinPause;
                }
                // A look that failed even after its own retries (a 429 storm, an outage) leaves the task unaffected: look
                // again later, backing off and honouring Retry-After. An answer that could not be read will not become
                // readable: that ends the wait instead of holding its place to the deadline.
                catch (RunApiException error) when (error.IsTransient && !error.UnreadableSuccess && _time.GetUtcNow() < deadline)
                {
                    setbacks++;
                    atLeast = Backoff(options.PollInterval ?? WaitOptions.SdkPollInterval, setbacks, error.RetryAfter);
                }
                if (_time.GetUtcNow() >= deadline) throw WaitErrors.TimedOut(pending.Id, last, options.Timeout);
            }
        }

        /// <summary>A fixed interval when given; the SDKs' way for a task of unknown age (it may be young); else the learned delay.</summary>
        private IPollDelay DelayFor(PendingTask pending, WaitOptions options)
        {
            if (options.PollInterval is { } interval) return new FixedPollDelay(interval);
            if (pending.SubmittedAt is null) return new FixedPollDelay(PollTuning.SparseInterval);
            return new LearnedPollDelay(_timings.For(_client.Settings.BaseUri, pending.Model ?? pending.Endpoint.Name), pending.Model,
                options.Timeout, () => _client.RequestsPaced);
        }

        /// <summary>The pause before a look: as long as the delay says, at least <paramref name="atLeast"/>, never past the deadline.</summary>
        private async Task PauseAsync(IPollDelay delay, DateTimeOffset from, TimeSpan atLeast, DateTimeOffset deadline,
            CancellationToken cancellationToken)
        {
            var now = _time.GetUtcNow();
            var until = now + delay.Pause(now - from);
            if (until < now + atLeast) until = now + atLeast;
            if (until > deadline) until = deadline; // the look at the deadline is the last
            if (until > now) await _time.Delay(until - now, cancellationToken).ConfigureAwait(false);
        }

        private static TimeSpan Backoff(TimeSpan interval, int setbacks, TimeSpan? retryAfter)
        {
            var doubled = TimeSpan.FromTicks(Math.Min(interval.Ticks << Math.Min(setbacks, 10), PollTuning.MaxSetbackPause.Ticks));
            return retryAfter.HasValue && retryAfter.Value > doubled ? retryAfter.Value : doubled;
        }
    }
}
