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

        public TaskWaiter(RunApiClient client, TimeProvider time)
        {
            _client = client;
            _time = time;
        }

        public async Task<TaskResponse> WaitAsync(TaskEndpoint endpoint, string taskId, WaitOptions options,
            Action<TaskResponse>? onPoll, CancellationToken cancellationToken)
        {
            var deadline = _time.GetUtcNow() + options.Timeout;
            TaskResponse? last = null;
            var setbacks = 0;
            while (true)
            {
                var pause = options.PollInterval;
                try
                {
                    var task = await _client.GetTaskAsync(endpoint, taskId, cancellationToken).ConfigureAwait(false);
                    last = task;
                    setbacks = 0;
                    onPoll?.Invoke(task);
                    switch (task.State)
                    {
                        case TaskState.Completed:
                            return RequireImages(task);
                        case TaskState.Failed:
                            throw Failed(task);
                    }
                }
                catch (RunApiException error) when (error.IsTransient && _time.GetUtcNow() < deadline)
                {
                    // The poll failed even after its own retries (a 429 storm, an outage). The task itself is
                    // unaffected: look again later, backing off and honouring Retry-After, until the wait's deadline.
                    setbacks++;
                    pause = Backoff(options.PollInterval, setbacks, error.RetryAfter);
                }

                var remaining = deadline - _time.GetUtcNow();
                if (remaining <= TimeSpan.Zero) throw TimedOut(taskId, last, options.Timeout);
                await _time.Delay(remaining < pause ? remaining : pause, cancellationToken).ConfigureAwait(false);
            }
        }

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
