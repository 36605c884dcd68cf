using System;
using System.Threading;
using System.Threading.Tasks;
using RunApi.Client.Errors;
using RunApi.Client.Models;

namespace RunApi.Client.Polling
{
    /// <summary>
    /// Waits for one task as the SDKs' run() does: a poll at once, then one every interval until the task is terminal
    /// or the wait's deadline passes. Polling is not retrying: an HTTP error on a poll ends the wait.
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
            var schedule = options.PollInterval.HasValue ? null : PollSchedule.For(seen, options.Model);
            TaskResponse? last = null;
            TimeSpan? lastUnfinishedAge = null;
            var setbacks = 0;

            // Knowing when the task was created, the adaptive schedule need not look before tasks like it finish.
            if (schedule is not null && options.SubmittedAt.HasValue)
            {
                await PauseAsync(schedule.FirstPause(start - submittedAt), deadline, cancellationToken).ConfigureAwait(false);
            }

            while (true)
            {
                TimeSpan pause;
                try
                {
                    var task = await _client.GetTaskAsync(endpoint, taskId, cancellationToken).ConfigureAwait(false);
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
                    // Re-planned at every look: a task that started on the first guess moves to the learned window as
                    // soon as other tasks of its model have taught it.
                    if (schedule is not null && !schedule.IsLearned) schedule = PollSchedule.For(seen, options.Model);
                    pause = options.PollInterval ?? schedule!.NextPause(age);
                    if (pause < PollSchedule.MinPause) pause = PollSchedule.MinPause; // never a busy loop, whatever the inputs
                }
                catch (RunApiException error) when (error.IsTransient && _time.GetUtcNow() < deadline)
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
        /// looks earlier is recorded, which moves the window forward. Long gaps (the task was waited for late) say
        /// little and are not recorded.
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
            var reason = string.IsNullOrWhiteSpace(task.Error) ? "Task failed" : task.Error!;
            return new RunApiException(RunApiErrorKind.TaskFailed,
                $"Task {task.Id} failed: {reason}. Failed generations are not charged; change the prompt or try again.")
            { TaskId = task.Id, Task = task, ServiceMessage = reason };
        }

        private static RunApiException TimedOut(string taskId, TaskResponse? last, TimeSpan timeout) =>
            new RunApiException(RunApiErrorKind.TaskTimeout,
                $"Task {taskId} did not finish within {Describe(timeout)}; " +
                (last is null ? "RunAPI could not be asked about it. " : $"it is still {last.Status}. ") +
                "It may still complete: wait for it again (Wait-ImagenTask) or allow longer (-TimeoutSec).")
            { TaskId = taskId, Task = last };

        private static string Describe(TimeSpan span) =>
            span.TotalSeconds < 120 ? $"{span.TotalSeconds:0.#} s" : $"{span.TotalMinutes:0.#} min";
    }
}
