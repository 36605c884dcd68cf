using System;
using RunApi.Client.Models;

namespace RunApi.Client.Errors
{
    /// <summary>How a wait for a task ends when it does not end with the task's images.</summary>
    internal static class WaitErrors
    {
        /// <summary>The task, when it is completed with images; the typed SDKs refuse one without them too.</summary>
        public static TaskResponse RequireImages(TaskResponse task)
        {
            if (task.Images is { Count: > 0 }) return task;
            throw new RunApiException(RunApiErrorKind.InvalidResponse,
                $"Task {task.Id} is completed but RunAPI sent no images for it.")
            { TaskId = task.Id, Task = task };
        }

        public static RunApiException Failed(TaskResponse task)
        {
            var reason = !string.IsNullOrWhiteSpace(task.Error) ? task.Error!
                : task.Status.IndexOf("cancel", StringComparison.OrdinalIgnoreCase) >= 0 ? "RunAPI reports the task " + task.Status
                : "Task failed";
            return new RunApiException(RunApiErrorKind.TaskFailed,
                $"Task {task.Id} failed: {reason}. Failed generations are not charged; change the prompt or try again.")
            { TaskId = task.Id, Task = task, ServiceMessage = reason };
        }

        public static RunApiException TimedOut(string taskId, TaskResponse? last, TimeSpan timeout) =>
            new RunApiException(RunApiErrorKind.TaskTimeout,
                $"Task {taskId} did not finish within {Describe(timeout)}; " +
                (last is null ? "RunAPI could not be asked about it, and it may still complete." : $"it is still {last.Status} and may still complete."))
            { TaskId = taskId, Task = last };

        private static string Describe(TimeSpan span) =>
            span.TotalSeconds < 120 ? $"{span.TotalSeconds:0.#} s" : $"{span.TotalMinutes:0.#} min";
    }
}
