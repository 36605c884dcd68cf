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
            while (true)
            {
                var task = await _client.GetTaskAsync(endpoint, taskId, cancellationToken).ConfigureAwait(false);
                onPoll?.Invoke(task);
                switch (task.State)
                {
                    case TaskState.Completed:
                        return RequireImages(task);
                    case TaskState.Failed:
                        throw Failed(task);
                }

                var remaining = deadline - _time.GetUtcNow();
                if (remaining <= TimeSpan.Zero) throw TimedOut(task, options.Timeout);
                var pause = remaining < options.PollInterval ? remaining : options.PollInterval;
                await _time.Delay(pause, cancellationToken).ConfigureAwait(false);
            }
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

        private static RunApiException TimedOut(TaskResponse task, TimeSpan timeout) =>
            new RunApiException(RunApiErrorKind.TaskTimeout,
                $"Task {task.Id} did not finish within {Describe(timeout)}; it is still {task.Status}. " +
                "It may still complete: wait for it again (Wait-ImagenTask) or allow longer (-TimeoutSec).")
            { TaskId = task.Id, Task = task };

        private static string Describe(TimeSpan span) =>
            span.TotalSeconds < 120 ? $"{span.TotalSeconds:0.#} s" : $"{span.TotalMinutes:0.#} min";
    }
}
