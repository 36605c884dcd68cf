using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RunApi.Client.Journal
{
    /// <summary>
    /// One line of a batch journal. The first line is the header (<see cref="Kind"/> = <see cref="HeaderKind"/>); every
    /// other line is an event of one input row. Fields that do not apply are left out. Never holds the API key.
    /// </summary>
    internal sealed class JournalRecord
    {
        public const string HeaderKind = "RunApi batch journal";
        public const int CurrentFormat = 1;

        public const string Accepted = "accepted";
        public const string Created = "created";
        public const string Completed = "completed";
        public const string Saved = "saved";
        public const string Failed = "failed";

        /// <summary>The header's marker, or the event: accepted, created, completed, saved, failed.</summary>
        [JsonPropertyName("event")] public string Kind { get; set; } = string.Empty;

        /// <summary>Header: the journal format version.</summary>
        [JsonPropertyName("format")] public int? Format { get; set; }

        /// <summary>Header: the module version that started the journal.</summary>
        [JsonPropertyName("module")] public string? Module { get; set; }

        /// <summary>Header: the API origin (scheme, host, port) the journal's tasks were created on.</summary>
        [JsonPropertyName("origin")] public string? Origin { get; set; }

        [JsonPropertyName("at")] public DateTimeOffset? At { get; set; }

        /// <summary>The input row, from 0, in the order the command took them.</summary>
        [JsonPropertyName("row")] public int? Row { get; set; }

        [JsonPropertyName("key")] public string? IdempotencyKey { get; set; }
        [JsonPropertyName("endpoint")] public string? Endpoint { get; set; }

        /// <summary>Accepted: the row's request as the command built it, before any upload: what rows are matched by.</summary>
        [JsonPropertyName("input")] [JsonConverter(typeof(RawJson))] public string? Input { get; set; }

        /// <summary>Accepted: the exact body sent, uploaded source URLs included: what a resumed create sends again.</summary>
        [JsonPropertyName("body")] [JsonConverter(typeof(RawJson))] public string? Body { get; set; }

        [JsonPropertyName("taskId")] public string? TaskId { get; set; }
        [JsonPropertyName("status")] public string? Status { get; set; }
        [JsonPropertyName("replayed")] public bool? Replayed { get; set; }
        [JsonPropertyName("images")] [JsonInclude] public IReadOnlyList<string>? Images { get; internal set; }

        /// <summary>Saved: which image of the task, and where it is.</summary>
        [JsonPropertyName("image")] public int? ImageIndex { get; set; }
        [JsonPropertyName("path")] public string? Path { get; set; }

        /// <summary>Failed: create, wait, look or save.</summary>
        [JsonPropertyName("stage")] public string? Stage { get; set; }
        [JsonPropertyName("error")] public string? Error { get; set; }

        /// <summary>Failed: the kind of error (RunApiErrorKind), when it came from RunAPI.</summary>
        [JsonPropertyName("kind")] public string? ErrorKind { get; set; }
        [JsonPropertyName("outcomeUnknown")] public bool? OutcomeUnknown { get; set; }

        /// <summary>Failed at create: RunAPI accepted (and charged) it, but its answer could not be used.</summary>
        [JsonPropertyName("createAccepted")] public bool? CreateAccepted { get; set; }
    }

    /// <summary>A JSON value kept as its text: written as it is, read back as it was.</summary>
    internal sealed class RawJson : JsonConverter<string?>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var value = JsonDocument.ParseValue(ref reader);
            return value.RootElement.GetRawText();
        }

        public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
        {
            if (value is null) writer.WriteNullValue();
            else writer.WriteRawValue(value, skipInputValidation: true);
        }
    }
}
