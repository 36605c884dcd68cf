using System;

namespace RunApi.Client.Models
{
    /// <summary>A task the service accepted, with what it takes to find it again.</summary>
    internal sealed class CreatedTask
    {
        public CreatedTask(CreateTaskRequest request, CreateTaskResponse response, string idempotencyKey, DateTimeOffset submittedAt)
        {
            Request = request;
            Response = response;
            IdempotencyKey = idempotencyKey;
            SubmittedAt = submittedAt;
        }

        public string Id => Response.Id;
        public TaskEndpoint Endpoint => Request.Endpoint;
        public CreateTaskRequest Request { get; }
        public CreateTaskResponse Response { get; }

        /// <summary>The key the create was sent with; sending the same request with it again cannot pay twice.</summary>
        public string IdempotencyKey { get; }

        public DateTimeOffset SubmittedAt { get; }

        /// <summary>This task, to wait for: timed from its submission, for its model.</summary>
        public PendingTask ToPending() => new PendingTask(Endpoint, Id, SubmittedAt, Request.Model);
    }
}
