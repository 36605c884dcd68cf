using System;

namespace RunApi.Client.Models
{
    /// <summary>
    /// A task to wait for, and what is known of it: its submission time and model let the wait time its looks to when
    /// tasks like it complete, and learn from it. Without them the wait looks at once and counts from its own start.
    /// </summary>
    internal sealed class PendingTask
    {
        public PendingTask(TaskEndpoint endpoint, string id, DateTimeOffset? submittedAt = null, string? model = null)
        {
            Endpoint = endpoint ?? throw new ArgumentNullException(nameof(endpoint));
            Id = id ?? throw new ArgumentNullException(nameof(id));
            SubmittedAt = submittedAt;
            Model = model;
        }

        public TaskEndpoint Endpoint { get; }
        public string Id { get; }
        public DateTimeOffset? SubmittedAt { get; }
        public string? Model { get; }
    }
}
