using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RunApi.Client.Batches;
using RunApi.Client.Errors;
using RunApi.Client.Models;

namespace RunApi.Client.Journal
{
    /// <summary>The journal's vocabulary: the line each event of a row, and each turn of the run, writes.</summary>
    internal sealed partial class BatchJournal
    {
        /// <summary>
        /// Starts writing the row's accepted line, once per input: a command calls it as soon as it reads the row, so
        /// that the flush overlaps the wait for a create place, and the create only checks that it is done.
        /// </summary>
        public Task Accept(BatchInput input) =>
            input.AcceptedLine ??= AppendAsync(new JournalRecord
            {
                Kind = JournalRecord.Accepted,
                Row = input.JournalRow,
                IdempotencyKey = input.IdempotencyKey,
                Endpoint = input.Endpoint.Name,
                Input = input.JournalInput,
                Cents = input.Request?.PriceCents,
                // A text-to-image body is the request as built (the input: not written twice); a remix one has the
                // uploaded URLs in place of stand-ins.
                Body = input.Request is RemixImageRequest || input.JournalInput is null ? input.Request?.ToJson() : null,
            });

        Task IBatchJournal.AcceptedAsync(BatchInput input, CancellationToken cancellationToken) => Accept(input);

        void IBatchJournal.Created(BatchInput input) =>
            Note(new JournalRecord
            {
                // The key and endpoint are the accepted line's: not written again (a row stays about 700 bytes).
                Kind = JournalRecord.Created,
                Row = input.JournalRow,
                TaskId = input.TaskId,
                Status = input.Created?.Response.Status,
                Replayed = input.Created?.Response.TaskReplayed == true ? true : (bool?)null,
            });

        void IBatchJournal.Completed(BatchInput input) =>
            Note(new JournalRecord
            {
                Kind = JournalRecord.Completed,
                Row = input.JournalRow,
                Images = input.Task?.Images?.Select(i => i.Url).ToList(),
                ChargedUsd = Charge(input)?.Usd,
                ChargeSource = Charge(input)?.Source.ToString(),
            });

        private static TaskCharge? Charge(BatchInput input) =>
            input.Task is { } task ? TaskCharge.Of(task, input.Request?.PriceCents / 100m) : null;

        void IBatchJournal.Saved(BatchInput input, int imageIndex, string path) =>
            Note(new JournalRecord { Kind = JournalRecord.Saved, Row = input.JournalRow, ImageIndex = imageIndex, Path = path });

        void IBatchJournal.Failed(BatchInput input, BatchFailure failure)
        {
            var api = failure.Error as RunApiException;
            Note(new JournalRecord
            {
                Kind = JournalRecord.Failed,
                Row = input.JournalRow,
                TaskId = input.TaskId,
                Stage = failure.Stage.ToString().ToLowerInvariant(),
                ImageIndex = failure.ImageIndex,
                ErrorKind = api?.Kind.ToString(),
                OutcomeUnknown = api?.OutcomeUnknown == true ? true : (bool?)null,
                CreateAccepted = api?.CreateAccepted == true ? true : (bool?)null,
                ErrorId = ErrorIds.For(failure.Error),
                Error = failure.Error.Message,
            });
        }

        /// <summary>A row read and planned whose create is not sent (<see cref="JournalRecord.NotSent"/>): the job knows it, and a resume sends it.</summary>
        /// <param name="errorId">For a row a refused key or an empty balance kept back: the error it met.</param>
        public void NotSent(int row, string input, string endpoint, long? cents, string reason, string? errorId = null) =>
            Note(new JournalRecord { Kind = JournalRecord.NotSent, Row = row, Input = input, Endpoint = endpoint, Cents = cents, Reason = reason, ErrorId = errorId });

        /// <summary>A row refused before it could be a request (an invalid prompt).</summary>
        public void Refused(int row, string prompt, string errorId, string error) =>
            Note(new JournalRecord { Kind = JournalRecord.Refused, Row = row, Prompt = prompt, ErrorId = errorId, Error = error });

        /// <summary>
        /// The command ends: why, whether its job's input has been read to the end, and, for a cutoff, by what. Written with
        /// everything queued before it; the summary follows at Dispose.
        /// </summary>
        /// <param name="inputEnded">Null for a run that reads no input of its own (a resume): the job's input is as it was.</param>
        public Task EndAsync(string reason, bool? inputEnded, string? cutoff = null, string? errorId = null) =>
            _job is null ? Task.CompletedTask
                : AppendAsync(new JournalRecord
                {
                    Kind = JournalRecord.End, Reason = reason, InputEnded = inputEnded ?? _runInputEnded, Cutoff = cutoff, ErrorId = errorId,
                });

        /// <summary>The command has read its input to the end: a kill from now on leaves no row of it unknown to the job.</summary>
        public Task InputReadAsync() =>
            _job is null ? Task.CompletedTask : AppendAsync(new JournalRecord { Kind = JournalRecord.InputRead, InputEnded = true });

        /// <summary>Writes the summary now (the job's record was made after the journal was opened).</summary>
        public void SummarizeNow()
        {
            lock (_gate)
            {
                if (_writing) return; // the writer brings it up to date itself
                WriteSummary();
            }
        }
    }
}
