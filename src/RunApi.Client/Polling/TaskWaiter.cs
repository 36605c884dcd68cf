using System;
using System.Threading;
using System.Threading.Tasks;
using RunApi.Client.Errors;
using RunApi.Client.Models;

namespace RunApi.Client.Polling
{
    /// <summary>
    /// Waits for one task: looks at it until it is terminal or the wait's deadline passes, either every fixed interval
    /// from a first look at once (as the SDKs' run() does) or on the adaptive <see cref="PollSchedule"/>. A poll that
    /// fails for good with a transient error slows the wait down; any other error ends it.
    /// </summary>
    internal sealed class TaskWaiter
    {
        private readonly RunApiClient _client;
        private readonly TimeProvider _time;
        private readonly CompletionTimesRegistry _timings;

        public TaskWaiter(RunApiClient client, TimeProvider time, CompletionTimesRegistry timings)
        {
            _client = client;
            _time = time;
            _timings = timings;
        }

        public async Task<TaskResponse> WaitAsync(TaskEndpoint endpoint, string taskId, WaitOptions options,
            Action<TaskResponse>? onPoll, CancellationToken cancellationToken)
        {
            var start = _time.GetUtcNow();
            var deadline = start + options.Timeout;
            var submittedAt = options.SubmittedAt ?? start;
            var seen = _timings.For(_client.Settings.BaseUri, options.Model ?? endpoint.Name);
            IDisposable? scout = null;
            try
            {
                PollSchedule? schedule = null;
                if (!options.PollInterval.HasValue)
                {
                    // Knowing when the task was created, the adaptive schedule need not look before tasks like it
                    // finish, and before anything is learned it may leave the looking to the scouts.
                    if (options.SubmittedAt.HasValue)
                    {
                        (schedule, scout) = await StandByAsync(seen, options.Model, submittedAt, deadline, cancellationToken).ConfigureAwait(false);
                        await PauseAsync(schedule.FirstPause(_time.GetUtcNow() - submittedAt), deadline, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        schedule = PollSchedule.For(seen, options.Model);
                    }
                }
                return await PollAsync(endpoint, taskId, options, schedule, seen, submittedAt, deadline, onPoll, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                scout?.Dispose();
            }
        }

        /// <summary>
        /// Before anything is learned about the model, a task either scouts (looks for itself) or stands by until the
        /// scouts have seen a completion, a scout's place frees up, or it has waited as long as the guess allows.
        /// Returns the schedule to look on, and the scout's place if it took one.
        /// </summary>
        private async Task<(PollSchedule Schedule, IDisposable? Scout)> StandByAsync(CompletionTimes seen, string? model,
            DateTimeOffset submittedAt, DateTimeOffset deadline, CancellationToken cancellationToken)
        {
            while (true)
            {
                var changed = seen.Changed;
                var schedule = PollSchedule.For(seen, model);
                if (schedule.IsLearned) return (schedule, null);
                var scout = seen.TryEnlistScout();
                if (scout is not null) return (schedule, scout);
                var now = _time.GetUtcNow();
                var untilLimit = PollSchedule.StandByLimit(model) - (now - submittedAt);
                if (untilLimit <= PollSchedule.MinPause || now >= deadline) return (schedule, null);
                await WaitForChangeAsync(changed, untilLimit, deadline, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task WaitForChangeAsync(Task changed, TimeSpan limit, DateTimeOffset deadline, CancellationToken cancellationToken)
        {
            using var stopTimer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var timer = PauseAsync(limit, deadline, stopTimer.Token);
            await Task.WhenAny(changed, timer).ConfigureAwait(false);
            stopTimer.Cancel(); // the timer is not needed once the signal came: no timer is left behind
            cancellationToken.ThrowIfCancellationRequested();
        }

        private async Task<TaskResponse> PollAsync(TaskEndpoint endpoint, string taskId, WaitOptions options, PollSchedule? schedule,
            CompletionTimes seen, DateTimeOffset submittedAt, DateTimeOffset deadline, Action<TaskResponse>? onPoll,
            CancellationToken cancellationToken)
        {
            TaskResponse? last = null;
            TimeSpan? lastUnfinishedAge = null;
            var setbacks = 0;
            while (true)
            {
                TimeSpan pause;
                try
                {
                    var task = await _client.GetTaskAsync(endpoint, taskId, cancellationToken, options.Looks).ConfigureAwait(false);
                    var age = _time.GetUtcNow() - submittedAt;
                    last = task;
                    setbacks = 0;
                    onPoll?.Invoke(task);
                    switch (task.State)
                    {
                        case TaskState.Completed:
                            if (options.SubmittedAt.HasValue) Learn(seen, lastUnfinishedAge, age, schedule);
                            return RequireImages(task);
                        case TaskState.Failed:
                            throw Failed(task);
                    }
                    lastUnfinishedAge = age;
                    if (options.SubmittedAt.HasValue) seen.RecordUnfinished(age);
                    // Re-planned at every look until settled: a scout moves to the learned window as soon as the
                    // first completion of its model is seen, and every task's window follows the next ones.
                    if (schedule is not null && !schedule.IsSettled) schedule = PollSchedule.For(seen, options.Model);
                    pause = options.PollInterval ?? schedule!.NextPause(age);
                    if (pause < PollSchedule.MinPause) pause = PollSchedule.MinPause; // never a busy loop, whatever the inputs
                }
                // An answer that could not be read even after the poll's own retries will not become readable: end the
                // wait instead of holding its place to the deadline.
                catch (RunApiException error) when (error.IsTransient && !error.UnreadableSuccess && _time.GetUtcNow() < deadline)
                {
                    // The poll failed even after its own retries (a 429 storm, an outage). The task itself is
                    // unaffected: look again later, backing off and honouring Retry-After, until the wait's deadline.
                    setbacks++;
                    pause = Backoff(options.PollInterval ?? WaitOptions.SdkPollInterval, setbacks, error.RetryAfter);
                }

                if (_time.GetUtcNow() >= deadline) throw TimedOut(taskId, last, options.Timeout);
                await PauseAsync(pause, deadline, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Waits, but never past the deadline (the look at the deadline is the last).</summary>
        private async Task PauseAsync(TimeSpan pause, DateTimeOffset deadline, CancellationToken cancellationToken)
        {
            var remaining = deadline - _time.GetUtcNow();
            var wait = remaining < pause ? remaining : pause;
            if (wait > TimeSpan.Zero) await _time.Delay(wait, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Records the last age at which the task was seen unfinished: it completed within one look after that. That
        /// lower bound is what the schedule needs (when to start looking) and, unlike a midpoint, cannot drift past
        /// the completions it learns from. A task already done at the first look completed before it: one and a half
        /// window looks earlier is recorded, which moves the window forward. Long gaps (the task was waited for late)
        /// say little and are not recorded.
        /// </summary>
        private static void Learn(CompletionTimes seen, TimeSpan? lastUnfinishedAge, TimeSpan doneAge, PollSchedule? schedule)
        {
            if (lastUnfinishedAge.HasValue)
            {
                // From looks further apart than the window's pace (the first guess, a setback), keep only what a
                // window-paced look would have seen: one window interval before the completion at the latest.
                var paced = doneAge - PollSchedule.WindowInterval;
                if (doneAge - lastUnfinishedAge.Value <= MaxLearningGap) seen.Record(lastUnfinishedAge.Value > paced ? lastUnfinishedAge.Value : paced);
            }
            else if (schedule is null || schedule.IsBeforeWindowEnd(doneAge))
            {
                var earlier = doneAge - TimeSpan.FromTicks(PollSchedule.WindowInterval.Ticks * 3 / 2);
                seen.Record(earlier > TimeSpan.Zero ? earlier : TimeSpan.Zero);
            }
        }

        private static readonly TimeSpan MaxLearningGap = TimeSpan.FromSeconds(5);

        private static readonly TimeSpan MaxSetbackPause = TimeSpan.FromSeconds(60);

        private static TimeSpan Backoff(TimeSpan interval, int setbacks, TimeSpan? retryAfter)
        {
            var doubled = TimeSpan.FromTicks(Math.Min(interval.Ticks << Math.Min(setbacks, 10), MaxSetbackPause.Ticks));
            return retryAfter.HasValue && retryAfter.Value > doubled ? retryAfter.Value : doubled;
        }

        private static TaskResponse RequireImages(TaskResponse task)
        {
            if (task.Images is { Count: > 0 }) return task;
            // The typed SDKs reject this too ("completed task response is missing images").
            throw new RunApiException(RunApiErrorKind.InvalidResponse,
                $"Task {task.Id} is completed but RunAPI sent no images for it.")
            { TaskId = task.Id, Task = task };
        }

        private static RunApiException Failed(TaskResponse task)
        {
            var reason = !string.IsNullOrWhiteSpace(task.Error) ? task.Error!
                : task.Status.IndexOf("cancel", StringComparison.OrdinalIgnoreCase) >= 0 ? "RunAPI reports the task " + task.Status
                : "Task failed";
            return new RunApiException(RunApiErrorKind.TaskFailed,
                $"Task {task.Id} failed: {reason}. Failed generations are not charged; change the prompt or try again.")
            { TaskId = task.Id, Task = task, ServiceMessage = reason };
        }

        private static RunApiException TimedOut(string taskId, TaskResponse? last, TimeSpan timeout) =>
            new RunApiException(RunApiErrorKind.TaskTimeout,
                $"Task {taskId} did not finish within {Describe(timeout)}; " +
                (last is null ? "RunAPI could not be asked about it, and it may still complete." : $"it is still {last.Status} and may still complete."))
            { TaskId = taskId, Task = last };

        private static string Describe(TimeSpan span) =>
            span.TotalSeconds < 120 ? $"{span.TotalSeconds:0.#} s" : $"{span.TotalMinutes:0.#} min";
    }
}
