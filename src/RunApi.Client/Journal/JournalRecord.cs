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

        /// <summary>
        /// 2: the header names its job; run and end lines; notSent and refused rows; estimates, charges and error ids.
        /// Format 1 (RunApi before jobs) is read as it is.
        /// </summary>
        public const int CurrentFormat = 2;

        public const string Accepted = "accepted";
        public const string Created = "created";
        public const string Completed = "completed";
        public const string Saved = "saved";
        public const string Failed = "failed";

        /// <summary>A row read and planned, whose create was not sent (a budget, a cutoff, a stop, a refused key).</summary>
        public const string NotSent = "notSent";

        /// <summary>A row refused before it could become a request (an invalid prompt): nothing can send it.</summary>
        public const string Refused = "refused";

        /// <summary>A command began writing the journal: which process, and what it was for.</summary>
        public const string Run = "run";

        /// <summary>That command ended: why, and whether it read its input to the end.</summary>
        public const string End = "end";

        /// <summary>That command has read its input to the end (it may still be waiting for its tasks).</summary>
        public const string InputRead = "inputEnded";

        /// <summary>The header's marker, or the event: accepted, created, completed, saved, failed.</summary>
        [JsonPropertyName("event")] public string Kind { get; set; } = string.Empty;

        /// <summary>Header: the journal format version.</summary>
        [JsonPropertyName("format")] public int? Format { get; set; }

        /// <summary>Header: the module version that started the journal.</summary>
        [JsonPropertyName("module")] public string? Module { get; set; }

        /// <summary>Header: the API origin (scheme, host, port) the journal's tasks were created on.</summary>
        [JsonPropertyName("origin")] public string? Origin { get; set; }

        /// <summary>Header: the job the journal belongs to.</summary>
        [JsonPropertyName("job")] public string? Job { get; set; }

        [JsonPropertyName("at")] public DateTimeOffset? At { get; set; }

        /// <summary>Run: the process (id, start time, machine) that writes, so that a reader can tell whether it still runs.</summary>
        [JsonPropertyName("pid")] public int? ProcessId { get; set; }
        [JsonPropertyName("started")] public DateTimeOffset? ProcessStarted { get; set; }
        [JsonPropertyName("host")] public string? Machine { get; set; }

        /// <summary>Run: create, complete or save: what counts as done for a row.</summary>
        [JsonPropertyName("goal")] public string? Goal { get; set; }

        /// <summary>End: completed (its input read to the end), cutoff or stopped. NotSent: budget, cutoff, stopped, refused.</summary>
        [JsonPropertyName("reason")] public string? Reason { get; set; }

        /// <summary>End with reason cutoff: duration or budget.</summary>
        [JsonPropertyName("cutoff")] public string? Cutoff { get; set; }

        /// <summary>End: whether the job's input has been read to its end, by this run or an earlier one.</summary>
        [JsonPropertyName("inputEnded")] public bool? InputEnded { get; set; }

        /// <summary>The input row, from 0, in the order the command took them.</summary>
        [JsonPropertyName("row")] public int? Row { get; set; }

        [JsonPropertyName("key")] public string? IdempotencyKey { get; set; }
        [JsonPropertyName("endpoint")] public string? Endpoint { get; set; }

        /// <summary>Accepted: the row's request as the command built it, before any upload: what rows are matched by.</summary>
        [JsonPropertyName("input")] [JsonConverter(typeof(RawJson))] public string? Input { get; set; }

        /// <summary>Accepted: the exact body sent, uploaded source URLs included: what a resumed create sends again.</summary>
        [JsonPropertyName("body")] [JsonConverter(typeof(RawJson))] public string? Body { get; set; }

        /// <summary>Accepted and notSent: the row's estimate at list price, in cents.</summary>
        [JsonPropertyName("cents")] public long? Cents { get; set; }

        /// <summary>Refused: the prompt (it made no request).</summary>
        [JsonPropertyName("prompt")] public string? Prompt { get; set; }

        [JsonPropertyName("taskId")] public string? TaskId { get; set; }
        [JsonPropertyName("status")] public string? Status { get; set; }
        [JsonPropertyName("replayed")] public bool? Replayed { get; set; }
        [JsonPropertyName("images")] [JsonInclude] public IReadOnlyList<string>? Images { get; internal set; }

        /// <summary>Completed: what the task was charged in US dollars (RunAPI's figure, else the list price), and which.</summary>
        [JsonPropertyName("charged")] public decimal? ChargedUsd { get; set; }
        [JsonPropertyName("chargeSource")] public string? ChargeSource { get; set; }

        /// <summary>Saved: which image of the task, and where it is.</summary>
        [JsonPropertyName("image")] public int? ImageIndex { get; set; }
        [JsonPropertyName("path")] public string? Path { get; set; }

        /// <summary>Failed: create, wait, look or save.</summary>
        [JsonPropertyName("stage")] public string? Stage { get; set; }
        [JsonPropertyName("error")] public string? Error { get; set; }

        /// <summary>Failed: the kind of error (RunApiErrorKind), when it came from RunAPI.</summary>
        [JsonPropertyName("kind")] public string? ErrorKind { get; set; }
        [JsonPropertyName("outcomeUnknown")] public bool? OutcomeUnknown { get; set; }

        /// <summary>Failed and refused: the ErrorId the command wrote for it.</summary>
        [JsonPropertyName("errorId")] public string? ErrorId { get; set; }

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
