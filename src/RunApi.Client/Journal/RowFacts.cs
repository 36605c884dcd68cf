using System;
using RunApi.Client.Errors;
using RunApi.Client.Models;

namespace RunApi.Client.Journal
{
    /// <summary>What became of an input row, in the words of a job's counts, which always add up to its rows.</summary>
    internal enum RowOutcome
    {
        /// <summary>Reached the job's goal: its files saved (or, without an output folder, its task completed or created).</summary>
        Saved,

        /// <summary>No usable task, and only a new create (a new charge) could make one: a failed generation, a refused create.</summary>
        Failed,

        /// <summary>Paid, or perhaps paid (a create with no answer), and not done: a resume finishes it without a new charge.</summary>
        Pending,

        /// <summary>Read and planned, never sent, nothing charged: a budget, a cutoff, a stop or a refused key kept it back.</summary>
        NotSent,
    }

    /// <summary>
    /// The few facts of one row that its outcome, cause, estimate and charge follow from, applied line by line. Small,
    /// so that a command writing a journal of 100,000 rows keeps them all (a few dozen bytes each), and a reader folds a
    /// journal into counts without keeping its requests.
    /// </summary>
    internal sealed class RowFacts
    {
        private ulong _savedLow;          // images 0..63 saved
        private System.Collections.Generic.HashSet<int>? _savedHigh;

        public bool NotSent { get; private set; }
        public bool Refused { get; private set; }
        public bool Accepted { get; private set; }
        public bool HasTask { get; private set; }
        public bool Completed { get; private set; }
        public int ImageCount { get; private set; }
        public int SavedCount { get; private set; }

        /// <summary>The latest failure of the latest attempt: its stage, kind (RunApiErrorKind) and ErrorId.</summary>
        public string? FailureStage { get; private set; }
        public string? FailureKind { get; private set; }
        public string? FailureErrorId { get; private set; }
        public bool OutcomeUnknown { get; private set; }
        public bool CreateAccepted { get; private set; }

        /// <summary>Why it was not sent (budget, cutoff, stopped, refused), for a NotSent line.</summary>
        public string? NotSentReason { get; private set; }

        /// <summary>The estimate at list price of the latest attempt (or of the create not sent).</summary>
        public long EstimateCents { get; private set; }

        public decimal? ChargedUsd { get; private set; }

        /// <summary>Whether the completed line's charge is RunAPI's figure or the list price; null when it named neither.</summary>
        public ChargeSource? ChargeSource { get; private set; }

        /// <summary>When the latest attempt's task was created: its image URLs live 7 days from about then.</summary>
        public DateTimeOffset? TaskCreatedAt { get; private set; }

        public void Apply(JournalRecord record)
        {
            switch (record.Kind)
            {
                case JournalRecord.Accepted:
                    Reset();
                    Accepted = true;
                    EstimateCents = record.Cents ?? Estimate(record.Input);
                    break;
                case JournalRecord.NotSent:
                    // A stop that kept back a row already accepted: the same request, never sent.
                    Reset();
                    NotSent = true;
                    NotSentReason = record.Reason;
                    FailureErrorId = record.ErrorId;
                    EstimateCents = record.Cents ?? Estimate(record.Input);
                    break;
                case JournalRecord.Refused:
                    Reset();
                    Refused = true;
                    FailureStage = "create";
                    FailureKind = nameof(RunApiErrorKind.Validation);
                    FailureErrorId = record.ErrorId;
                    break;
                case JournalRecord.Created:
                    HasTask = true;
                    NotSent = false;
                    TaskCreatedAt ??= record.At;
                    ClearFailure();
                    break;
                case JournalRecord.Completed:
                    HasTask = true;
                    Completed = true;
                    ImageCount = record.Images?.Count ?? 0;
                    ChargedUsd = record.ChargedUsd;
                    ChargeSource = Enum.TryParse<ChargeSource>(record.ChargeSource, out var source) ? source : (ChargeSource?)null;
                    ClearFailure();
                    break;
                case JournalRecord.Saved:
                    if (record.ImageIndex is { } index) MarkSaved(index);
                    break;
                case JournalRecord.Failed:
                    FailureStage = record.Stage;
                    FailureKind = record.ErrorKind;
                    FailureErrorId = record.ErrorId ?? ErrorIdOf(record);
                    OutcomeUnknown = record.OutcomeUnknown == true;
                    CreateAccepted = record.CreateAccepted == true;
                    if (record.ErrorKind == nameof(RunApiErrorKind.TaskFailed)) ChargedUsd = 0m; // RunAPI refunds a failed task
                    break;
            }
        }

        private void Reset()
        {
            NotSent = Refused = Accepted = HasTask = Completed = false;
            ImageCount = SavedCount = 0;
            _savedLow = 0;
            _savedHigh = null;
            NotSentReason = null;
            EstimateCents = 0;
            ChargedUsd = null;
            ChargeSource = null;
            TaskCreatedAt = null;
            ClearFailure();
        }

        private void ClearFailure()
        {
            FailureStage = FailureKind = FailureErrorId = null;
            OutcomeUnknown = CreateAccepted = false;
        }

        private void MarkSaved(int index)
        {
            if (index < 0) return;
            if (index < 64)
            {
                var bit = 1UL << index;
                if ((_savedLow & bit) != 0) return;
                _savedLow |= bit;
            }
            else if (!(_savedHigh ??= new System.Collections.Generic.HashSet<int>()).Add(index))
            {
                return;
            }
            SavedCount++;
        }

        /// <summary>A failure line of a journal before ErrorIds were recorded: the id the command wrote then.</summary>
        private static string? ErrorIdOf(JournalRecord record) =>
            record.OutcomeUnknown == true ? ErrorIds.CreateOutcomeUnknown
            : record.ErrorKind is { } kind ? "RunApi" + kind
            : null;

        /// <summary>The outcome for a job whose rows are done at <paramref name="goal"/> (create, complete or save).</summary>
        public RowOutcome Outcome(string goal)
        {
            if (Refused) return RowOutcome.Failed;
            if (NotSent) return RowOutcome.NotSent;
            if (!HasTask)
            {
                if (FailureStage is null || OutcomeUnknown || CreateAccepted) return RowOutcome.Pending; // a task may exist: its key gets it back
                if (FailureKind == nameof(RunApiErrorKind.Authentication) || FailureKind == nameof(RunApiErrorKind.InsufficientCredits)) return RowOutcome.NotSent;
                return RowOutcome.Failed;
            }
            if (FailureKind == nameof(RunApiErrorKind.TaskFailed)) return RowOutcome.Failed;
            switch (goal)
            {
                case JobGoals.Create: return RowOutcome.Saved;
                case JobGoals.Complete: return Completed ? RowOutcome.Saved : RowOutcome.Pending;
                default: return Completed && SavedCount >= ImageCount ? RowOutcome.Saved : RowOutcome.Pending;
            }
        }

        /// <summary>
        /// A failed row that a new create may well make: a generation RunAPI reports as failed, a rate limit, a timeout
        /// or a passing server fault; not a request RunAPI refused as invalid.
        /// </summary>
        public bool Retryable => IsRetryable(FailureKind);

        public static bool IsRetryable(string? kind) =>
            kind == nameof(RunApiErrorKind.TaskFailed) || kind == nameof(RunApiErrorKind.TaskTimeout) ||
            kind == nameof(RunApiErrorKind.Timeout) || kind == nameof(RunApiErrorKind.RateLimited) ||
            kind == nameof(RunApiErrorKind.Server) || kind == nameof(RunApiErrorKind.ServiceUnavailable) ||
            kind == nameof(RunApiErrorKind.Network);

        /// <summary>The exit code of the row's cause (<see cref="ErrorIds.ExitCodeOf"/>; 5 for a download); 0 for none.</summary>
        public int CauseCode(string goal)
        {
            if (Outcome(goal) == RowOutcome.Saved) return 0;
            if (FailureStage == "save" || FailureKind == nameof(RunApiErrorKind.FileWrite)) return 5;
            if (FailureKind is { } kind) return ErrorIds.ExitCodeOf("RunApi" + kind);
            return FailureErrorId is { } id ? ErrorIds.ExitCodeOf(id) : 0; // a row not sent for a reason, or refused
        }

        /// <summary>A journal of format 1 holds no estimate: the list price of the request it holds.</summary>
        private static long Estimate(string? input)
        {
            if (input is null) return 0;
            try
            {
                using var json = System.Text.Json.JsonDocument.Parse(input);
                var root = json.RootElement;
                var model = root.TryGetProperty("model", out var m) ? m.GetString() : null;
                var resolution = root.TryGetProperty("output_resolution", out var r) ? r.GetString() : null;
                return Models.ImagenVariants.Find(model)?.PriceCentsFor(resolution) ?? 0;
            }
            catch (System.Text.Json.JsonException)
            {
                return 0;
            }
        }
    }

    /// <summary>How far a job's rows go, as its run lines say.</summary>
    internal static class JobGoals
    {
        public const string Create = "create";
        public const string Complete = "complete";
        public const string Save = "save";

        public static string ForBatch(Batches.BatchGoal goal) =>
            goal == Batches.BatchGoal.Save ? Save : goal == Batches.BatchGoal.Complete ? Complete : Create;
    }
}
