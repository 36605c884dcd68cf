using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RunApi.Client.Models
{
    /// <summary>What RunAPI reports a task used (contract §3.5): on a completed task, what it was charged.</summary>
    internal sealed class TaskUsage
    {
        /// <summary>What RunAPI charged for the task, in US dollars, to every digit it sent (0.0321 stays 0.0321).</summary>
        [JsonPropertyName("cost")] [JsonConverter(typeof(LenientDecimal))] public decimal? Cost { get; set; }

        /// <summary>The other usage figures, kept as the service sent them.</summary>
        [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalFields { get; set; }
    }
}
