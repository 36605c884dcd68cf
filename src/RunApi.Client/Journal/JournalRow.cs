using System;
using System.Collections.Generic;
using RunApi.Client.Errors;

namespace RunApi.Client.Journal
{
    /// <summary>What the journal knows of one input row: its latest attempt, and how far that attempt got.</summary>
    internal sealed class JournalRow
    {
        private readonly Dictionary<int, string> _saved = new Dictionary<int, string>();

        internal JournalRow(int row) => Row = row;

        public int Row { get; }

        /// <summary>The row's request as the command built it (the latest attempt's); rows are matched by it.</summary>
        public string? Input { get; private set; }

        /// <summary>The exact body the latest attempt sent (JSON).</summary>
        public string? Body { get; private set; }

        public string? IdempotencyKey { get; private set; }
        public string? Endpoint { get; private set; }
        public DateTimeOffset? AcceptedAt { get; private set; }
        public string? TaskId { get; private set; }
        public string? Status { get; private set; }
        public bool Replayed { get; private set; }
        public IReadOnlyList<string>? Images { get; private set; }

        /// <summary>Saved images of the task, by index, with their paths.</summary>
        public IReadOnlyDictionary<int, string> Saved => _saved;

        /// <summary>The latest failure of this attempt, if it failed.</summary>
        public JournalRecord? Failure { get; private set; }

        /// <summary>The row's prompt could not make a request (an invalid prompt): only its prompt is known.</summary>
        public string? RefusedPrompt { get; private set; }

        /// <summary>The facts its outcome, cause and charge follow from.</summary>
        public RowFacts Facts { get; } = new RowFacts();

        /// <summary>
        /// The row failed for good: RunAPI made no task (a refused create) or the task itself failed. A create RunAPI
        /// accepted with an answer that could not be used is not: it was paid, and its key gets the task back.
        /// </summary>
        public bool FailedForGood =>
            Failure is { } failure && failure.OutcomeUnknown != true && failure.CreateAccepted != true &&
            (failure.Stage == "create" || failure.ErrorKind == nameof(RunApiErrorKind.TaskFailed));

        /// <summary>A create was sent and no usable answer recorded: a task may exist, and the same key gets it.</summary>
        public bool CreateMayExist => IdempotencyKey is not null && TaskId is null && !FailedForGood;

        internal void Apply(JournalRecord record)
        {
            Facts.Apply(record);
            switch (record.Kind)
            {
                case JournalRecord.NotSent:
                case JournalRecord.Refused:
                    Input = record.Input;
                    Body = null;
                    IdempotencyKey = null;
                    Endpoint = record.Endpoint;
                    AcceptedAt = null;
                    TaskId = null;
                    Status = null;
                    Replayed = false;
                    Images = null;
                    Failure = record.Kind == JournalRecord.Refused ? record : null;
                    RefusedPrompt = record.Prompt;
                    _saved.Clear();
                    break;
                case JournalRecord.Accepted:
                    // A new attempt: what the earlier one got no longer counts.
                    Input = record.Input;
                    Body = record.Body ?? record.Input; // a text-to-image body is its input, written once
                    IdempotencyKey = record.IdempotencyKey;
                    Endpoint = record.Endpoint;
                    AcceptedAt = record.At;
                    TaskId = null;
                    Status = null;
                    Replayed = false;
                    Images = null;
                    Failure = null;
                    RefusedPrompt = null;
                    _saved.Clear();
                    break;
                case JournalRecord.Created:
                    TaskId = record.TaskId;
                    Endpoint = record.Endpoint ?? Endpoint;
                    Status = record.Status;
                    Replayed = record.Replayed == true;
                    Failure = null;
                    break;
                case JournalRecord.Completed:
                    TaskId ??= record.TaskId;
                    Status = "completed";
                    Images = record.Images;
                    Failure = null;
                    break;
                case JournalRecord.Saved:
                    if (record.ImageIndex is { } index && record.Path is { } path) _saved[index] = path;
                    break;
                case JournalRecord.Failed:
                    Failure = record;
                    if (record.ErrorKind == nameof(RunApiErrorKind.TaskFailed)) Status = "failed";
                    break;
            }
        }
    }
}
