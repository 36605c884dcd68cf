using System;

namespace RunApi.Client.Models
{
    /// <summary>The four states of the SDK status enum; completed and failed are terminal.</summary>
    internal enum TaskState
    {
        Pending,
        Processing,
        Completed,
        Failed,
    }

    internal static class TaskStates
    {
        /// <summary>
        /// Maps the service's status text to a state, as the Go SDK does (case-insensitive): completed/success are
        /// completed; failed/error/generate_failed/create_task_failed are failed, and so are cancelled/canceled (such a
        /// task will never complete, so waiting on would hold its place to the deadline); pending is pending; anything else,
        /// unknown strings included, is still processing. Reading unknown statuses as "still running" is the safe
        /// choice for a waiter: it keeps polling until its deadline rather than reporting a false failure.
        /// </summary>
        public static TaskState Normalize(string? status)
        {
            switch ((status ?? string.Empty).Trim().ToLowerInvariant())
            {
                case "completed":
                case "success":
                    return TaskState.Completed;
                case "failed":
                case "error":
                case "generate_failed":
                case "create_task_failed":
                case "cancelled":
                case "canceled":
                    return TaskState.Failed;
                case "pending":
                    return TaskState.Pending;
                default:
                    return TaskState.Processing;
            }
        }
    }
}
