using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RunApi.Client.Models
{
    /// <summary>A task as GET /api/v1/imagen_4/{endpoint}/{id} returns it.</summary>
    internal sealed class TaskResponse : IKeyFreeFields
    {
        [JsonPropertyName("id")] public string Id { get; set; } = string.Empty;

        /// <summary>The status as the service wrote it; see <see cref="State"/> for its meaning.</summary>
        [JsonPropertyName("status")] public string Status { get; set; } = string.Empty;

        [JsonPropertyName("images")] [JsonInclude] public IReadOnlyList<TaskImage>? Images { get; internal set; }
        [JsonPropertyName("error")] public string? Error { get; set; }
        [JsonPropertyName("billing")] public TaskBilling? Billing { get; set; }

        /// <summary>
        /// How far along a working task is, as RunAPI reports it; null when it does not. Read as a percent (RunAPI's MCP
        /// tests show 80 on a processing task); were it a fraction (0.8), a bar showing it as a percent would only
        /// understate, never show a task as done that is not.
        /// </summary>
        [JsonPropertyName("progress")] [JsonConverter(typeof(LenientDouble))] public double? Progress { get; set; }

        /// <summary>What RunAPI reports the task used, with the cost charged; null when it does not say.</summary>
        [JsonPropertyName("usage")] [JsonConverter(typeof(ObjectOrNull<TaskUsage>))] public TaskUsage? Usage { get; set; }

        /// <summary>Fields the contract does not name, kept as the service sent them.</summary>
        [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalFields { get; set; }

        /// <summary>How long the service asked to be left alone before the next look (Retry-After on this answer).</summary>
        [JsonIgnore] internal TimeSpan? PollAfter { get; set; }

        [JsonIgnore] public TaskState State => TaskStates.Normalize(Status);

        IEnumerable<string?> IKeyFreeFields.KeyFreeFields() =>
            new[] { Id }.Concat((Images ?? new List<TaskImage>()).SelectMany(i => new[] { i.Url, i.OriginUrl }));
    }

    /// <summary>One generated image.</summary>
    internal sealed class TaskImage
    {
        /// <summary>The delivery URL. Temporary: store the image within 7 days.</summary>
        [JsonPropertyName("url")] public string Url { get; set; } = string.Empty;

        /// <summary>The unprocessed source URL, when the service gives one.</summary>
        [JsonPropertyName("origin_url")] public string? OriginUrl { get; set; }
    }

    /// <summary>What a create returns: the task id, its first status, and whether it was a replay.</summary>
    internal sealed class CreateTaskResponse : IKeyFreeFields
    {
        /// <summary>
        /// When the request that brought this answer was sent: what it says held at about that instant, however long
        /// a rate limit kept the request waiting before it.
        /// </summary>
        [JsonIgnore] internal DateTimeOffset? AskedAt { get; set; }

        [JsonPropertyName("id")] public string Id { get; set; } = string.Empty;
        [JsonPropertyName("status")] public string Status { get; set; } = string.Empty;

        /// <summary>True when the Idempotency-Key matched an earlier identical create: no new task, no new charge.</summary>
        [JsonPropertyName("task_replayed")] public bool TaskReplayed { get; set; }

        [JsonPropertyName("billing")] public TaskBilling? Billing { get; set; }
        [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalFields { get; set; }

        IEnumerable<string?> IKeyFreeFields.KeyFreeFields() => new[] { Id };
    }
}
