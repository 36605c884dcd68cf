using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
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
            ServiceStatus = status;
            Status = status == UnknownStatus ? status : TaskStates.Normalize(status).ToString().ToLowerInvariant();
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

        /// <summary>
        /// pending, processing, completed or failed: what the service's word means, whatever its letter case or synonym
        /// (COMPLETED, success, cancelled), so <c>Where-Object Status -eq completed</c> finds every completed task.
        /// </summary>
        public string Status { get; }

        /// <summary>The status word exactly as RunAPI sent it (or "unknown" for a task not yet looked up).</summary>
        public string ServiceStatus { get; }

        private const string UnknownStatus = "unknown";

        /// <summary>How far along the task is, in percent, as RunAPI reported it in its latest answer; null when it did not.</summary>
        public double? Progress { get; private set; }

        /// <summary>The task's images; as text (Export-Csv), their URLs separated by spaces.</summary>
        public ImagenImageCollection Images { get; }
        public string? Error { get; }
        public DateTimeOffset? SubmittedAt { get; }

        /// <summary>When this module first saw the task completed.</summary>
        public DateTimeOffset? CompletedAt { get; }

        /// <summary>The list price of the call in US dollars (failed generations are not charged).</summary>
        public decimal? EstimatedCostUsd { get; }

        /// <summary>
        /// What the task was charged, in US dollars: RunAPI's own figure where it gives one (the usage cost to every digit
        /// sent, else the billing settlement; 0 once refunded), else the list price once the task completed (0 for a
        /// failed one: failed generations are not charged). Null while it works. <see cref="ChargeSource"/> says which.
        /// </summary>
        public decimal? ChargedUsd { get; private set; }

        /// <summary>
        /// Service when <see cref="ChargedUsd"/> is RunAPI's own figure, ListPrice when RunAPI gave none and it is the
        /// list price; null with it. Text, not an enum: it reads and exports (CSV, JSON) as the word.
        /// </summary>
        public string? ChargeSource { get; private set; }

        /// <summary>RunAPI's billing facts: the reservation of the create, the settlement, the refund; null when it sent none.</summary>
        public ImagenBilling? Billing { get; private set; }

        /// <summary>What RunAPI reported the task used (<c>usage</c>, with its <c>cost</c>), as sent; null when it did not.</summary>
        public PSObject? Usage { get; private set; }

        /// <summary>True when the create matched an earlier identical one by its Idempotency-Key: no new charge.</summary>
        public bool Replayed { get; }

        /// <summary>The key the create was sent with; send the same request with it to get this task back.</summary>
        public string? IdempotencyKey { get; }

        /// <summary>
        /// The fields of RunAPI's latest answer that the contract does not name, as sent (<c>$task.Extra.custom</c>); null
        /// when there were none. Text in them was masked like all the service's text: the key never shows.
        /// </summary>
        public PSObject? Extra { get; private set; }

        // Internal: Status says it in words, and an enum would serialise to JSON as a number.
        internal TaskState State => TaskStates.Normalize(ServiceStatus);

        /// <summary>A task as its create was answered; an answer with no status (only the id) is a task not started yet.</summary>
        internal static ImagenTask FromCreated(CreatedTask created)
        {
            var answer = created.Response;
            var task = new ImagenTask(created.Id, created.Endpoint.Name, TaskAsk.From(created.Request),
                string.IsNullOrWhiteSpace(answer.Status) ? "pending" : answer.Status,
                Array.Empty<ImagenImage>(), null, created.SubmittedAt, null,
                ToUsd(created.Request.PriceCents), answer.TaskReplayed, created.IdempotencyKey);
            task.Billing = ImagenBilling.From(answer.Billing, null);
            task.Extra = JsonValues.ToObject(answer.AdditionalFields);
            task.Charge(TaskCharge.Of(task.State, answer.Billing, null, task.EstimatedCostUsd));
            return task;
        }

        internal static ImagenTask FromResponse(TaskResponse response, TaskEndpoint endpoint, ImagenTask? known, DateTimeOffset now)
        {
            var state = TaskStates.Normalize(response.Status);
            var images = (response.Images ?? new System.Collections.Generic.List<TaskImage>())
                .Select((image, index) => new ImagenImage(response.Id, index, image.Url, image.OriginUrl))
                .ToArray();
            var task = new ImagenTask(response.Id, endpoint.Name, known?._ask ?? TaskAsk.Unknown, response.Status, images,
                response.Error, known?.SubmittedAt,
                state == TaskState.Completed ? known?.CompletedAt ?? now : (DateTimeOffset?)null,
                known?.EstimatedCostUsd ?? ToUsd(response.Billing?.Reservation?.AmountCents),
                known?.Replayed ?? false, known?.IdempotencyKey)
            {
                Progress = response.Progress,
                Billing = ImagenBilling.From(response.Billing, known?.Billing),
                Usage = UsageOf(response.Usage),
                // The latest answer's alone: a field of an earlier answer (a queue position) may no longer hold.
                Extra = JsonValues.ToObject(response.AdditionalFields),
            };
            // The list price is the estimate known before this answer (the price of what was asked), not this answer's
            // reservation: that is RunAPI's figure, not a price.
            var charge = TaskCharge.Of(response, known?.EstimatedCostUsd);
            // RunAPI's figure from an earlier answer stands until a later one gives its own.
            if (charge?.Source != Client.Models.ChargeSource.Service && known?.ChargeSource == nameof(Client.Models.ChargeSource.Service))
            {
                task.ChargedUsd = known.ChargedUsd;
                task.ChargeSource = known.ChargeSource;
            }
            else
            {
                task.Charge(charge);
            }
            return task;
        }

        private void Charge(TaskCharge? charge)
        {
            ChargedUsd = charge?.Usd;
            ChargeSource = charge?.Source.ToString();
        }

        /// <summary>The usage object as sent: its cost (read already, every digit kept) first, then the rest.</summary>
        private static PSObject? UsageOf(TaskUsage? usage)
        {
            if (usage is null) return null;
            var fields = new List<KeyValuePair<string, JsonElement>>();
            if (usage.Cost is { } cost)
            {
                using var number = JsonDocument.Parse(cost.ToString(CultureInfo.InvariantCulture));
                fields.Add(new KeyValuePair<string, JsonElement>("cost", number.RootElement.Clone()));
            }
            if (usage.AdditionalFields is { } rest) fields.AddRange(rest);
            return JsonValues.ToObject(fields);
        }

        /// <summary>A task as a batch journal recorded it (Get-ImagenTask -JournalPath).</summary>
        internal static ImagenTask FromJournal(string taskId, string endpoint, TaskAsk ask, string status,
            IReadOnlyList<string> imageUrls, string? error, DateTimeOffset? submittedAt, bool replayed, string? idempotencyKey, TaskCharge? charged)
        {
            var images = imageUrls.Select((url, index) => new ImagenImage(taskId, index, url, null)).ToArray();
            var price = ask.Model is null ? null : ImagenVariants.Find(ask.Model)?.PriceCents;
            var task = new ImagenTask(taskId, endpoint, ask, status, images, error, submittedAt, null,
                ToUsd(price), replayed, idempotencyKey);
            // The charge the journal recorded (RunAPI's figure or the list price, and which); where it recorded none, the list price.
            task.Charge(charged ?? TaskCharge.Of(task.State, null, null, task.EstimatedCostUsd));
            return task;
        }

        /// <summary>A task known only by its id and what a piped row says was asked.</summary>
        internal static ImagenTask Known(string taskId, string endpoint, TaskAsk ask)
        {
            var price = ask.Model is null ? null : ImagenVariants.Find(ask.Model)?.PriceCents;
            return new ImagenTask(taskId, endpoint, ask, UnknownStatus, Array.Empty<ImagenImage>(), null, null, null, ToUsd(price), false, null);
        }

        /// <summary>The same task as known from elsewhere (a piped object, a CSV row): what was asked, where this lacks it.</summary>
        internal ImagenTask WithAsk(TaskAsk ask) =>
            new ImagenTask(TaskId, Endpoint, _ask.Or(ask), ServiceStatus, Images, Error, SubmittedAt, CompletedAt, EstimatedCostUsd, Replayed, IdempotencyKey)
            {
                Progress = Progress,
                ChargedUsd = ChargedUsd,
                ChargeSource = ChargeSource,
                Billing = Billing,
                Usage = Usage,
                Extra = Extra,
            };

        private static decimal? ToUsd(long? cents) => cents.HasValue ? cents.Value / 100m : (decimal?)null;

        public override string ToString() => TaskId;
    }
}
