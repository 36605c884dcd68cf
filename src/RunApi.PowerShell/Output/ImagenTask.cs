using System;
using System.Collections.Generic;
using System.Linq;
using RunApi.Client.Models;

namespace RunApi
{
    /// <summary>
    /// A RunAPI Imagen task as the cmdlets emit it: what was asked, where it stands, and what it takes to find it again
    /// (TaskId and Endpoint bind by property name to Get-ImagenTask and Wait-ImagenTask).
    /// </summary>
    public sealed class ImagenTask
    {
        private ImagenTask(string taskId, string endpoint, TaskAsk ask, string status,
            IEnumerable<ImagenImage> images, string? error, DateTimeOffset? submittedAt, DateTimeOffset? completedAt,
            decimal? estimatedCostUsd, bool replayed, string? idempotencyKey)
        {
            TaskId = taskId;
            Endpoint = endpoint;
            _ask = ask;
            Status = status;
            Images = new ImagenImageCollection(images.Select(i => i.OwnedBy(this)).ToArray());
            Error = error;
            SubmittedAt = submittedAt;
            CompletedAt = completedAt;
            EstimatedCostUsd = estimatedCostUsd;
            Replayed = replayed;
            IdempotencyKey = idempotencyKey;
        }

        public string TaskId { get; }

        /// <summary>text_to_image or remix_image: the task id is only valid on its own endpoint.</summary>
        public string Endpoint { get; }

        private readonly TaskAsk _ask;

        internal TaskAsk Ask => _ask;

        public string? Model => _ask.Model;
        public string? Prompt => _ask.Prompt;
        public string? NegativePrompt => _ask.NegativePrompt;
        public string? AspectRatio => _ask.AspectRatio;
        public long? Seed => _ask.Seed;

        /// <summary>pending, processing, completed or failed, as the service reports it.</summary>
        public string Status { get; }

        /// <summary>The task's images; as text (Export-Csv), their URLs separated by spaces.</summary>
        public ImagenImageCollection Images { get; }
        public string? Error { get; }
        public DateTimeOffset? SubmittedAt { get; }

        /// <summary>When this module first saw the task completed.</summary>
        public DateTimeOffset? CompletedAt { get; }

        /// <summary>The list price of the call in US dollars (failed generations are not charged).</summary>
        public decimal? EstimatedCostUsd { get; }

        /// <summary>What RunAPI reports it charged for the task, in US dollars (0 once refunded); null until it says.</summary>
        public decimal? ChargedUsd { get; private set; }

        /// <summary>True when the create matched an earlier identical one by its Idempotency-Key: no new charge.</summary>
        public bool Replayed { get; }

        /// <summary>The key the create was sent with; send the same request with it to get this task back.</summary>
        public string? IdempotencyKey { get; }

        // Internal: Status says it in words, and an enum would serialise to JSON as a number.
        internal TaskState State => TaskStates.Normalize(Status);

        /// <summary>A task as its create was answered; an answer with no status (only the id) is a task not started yet.</summary>
        internal static ImagenTask FromCreated(CreatedTask created) =>
            new ImagenTask(created.Id, created.Endpoint.Name, TaskAsk.From(created.Request),
                string.IsNullOrWhiteSpace(created.Response.Status) ? "pending" : created.Response.Status,
                Array.Empty<ImagenImage>(), null, created.SubmittedAt, null,
                ToUsd(created.Request.PriceCents), created.Response.TaskReplayed, created.IdempotencyKey);

        internal static ImagenTask FromResponse(TaskResponse response, TaskEndpoint endpoint, ImagenTask? known, DateTimeOffset now)
        {
            var state = TaskStates.Normalize(response.Status);
            var images = (response.Images ?? new System.Collections.Generic.List<TaskImage>())
                .Select((image, index) => new ImagenImage(response.Id, index, image.Url, image.OriginUrl))
                .ToArray();
            return new ImagenTask(response.Id, endpoint.Name, known?._ask ?? TaskAsk.Unknown, response.Status, images,
                response.Error, known?.SubmittedAt,
                state == TaskState.Completed ? known?.CompletedAt ?? now : (DateTimeOffset?)null,
                known?.EstimatedCostUsd ?? ToUsd(response.Billing?.Reservation?.AmountCents),
                known?.Replayed ?? false, known?.IdempotencyKey)
            {
                ChargedUsd = ToUsd(response.Billing?.ChargedCents) ?? known?.ChargedUsd,
            };
        }

        /// <summary>A task as a batch journal recorded it (Get-ImagenTask -JournalPath).</summary>
        internal static ImagenTask FromJournal(string taskId, string endpoint, TaskAsk ask, string status,
            IReadOnlyList<string> imageUrls, string? error, DateTimeOffset? submittedAt, bool replayed, string? idempotencyKey)
        {
            var images = imageUrls.Select((url, index) => new ImagenImage(taskId, index, url, null)).ToArray();
            var price = ask.Model is null ? null : ImagenVariants.Find(ask.Model)?.PriceCents;
            return new ImagenTask(taskId, endpoint, ask, status, images, error, submittedAt, null,
                ToUsd(price), replayed, idempotencyKey);
        }

        /// <summary>A task known only by its id and what a piped row says was asked.</summary>
        internal static ImagenTask Known(string taskId, string endpoint, TaskAsk ask)
        {
            var price = ask.Model is null ? null : ImagenVariants.Find(ask.Model)?.PriceCents;
            return new ImagenTask(taskId, endpoint, ask, "unknown", Array.Empty<ImagenImage>(), null, null, null, ToUsd(price), false, null);
        }

        /// <summary>The same task as known from elsewhere (a piped object, a CSV row): what was asked, where this lacks it.</summary>
        internal ImagenTask WithAsk(TaskAsk ask) =>
            new ImagenTask(TaskId, Endpoint, _ask.Or(ask), Status, Images, Error, SubmittedAt, CompletedAt, EstimatedCostUsd, Replayed, IdempotencyKey)
            {
                ChargedUsd = ChargedUsd,
            };

        private static decimal? ToUsd(long? cents) => cents.HasValue ? cents.Value / 100m : (decimal?)null;

        public override string ToString() => TaskId;
    }
}
