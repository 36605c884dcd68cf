using System;
using System.Collections.Generic;
using RunApi.Client.Journal;

namespace RunApi.Client.Jobs
{
    /// <summary>
    /// A job's journal folded line by line into what its record says: the facts of each row (<see cref="RowFacts"/>), the
    /// latest run and how it ended. The writer of a journal keeps one as it writes; a reader builds one from the file.
    /// </summary>
    internal sealed class JobTally
    {
        private readonly Dictionary<int, RowFacts> _rows = new Dictionary<int, RowFacts>();

        /// <summary>How long RunAPI keeps a task's image URLs (the contract: store outputs within 7 days).</summary>
        public static readonly TimeSpan ImageUrlLifetime = TimeSpan.FromDays(7);

        public int Format { get; private set; }
        public DateTimeOffset? StartedAt { get; private set; }

        /// <summary>The time of the latest line: when a run that left no end line last did something.</summary>
        public DateTimeOffset? LastAt { get; private set; }

        /// <summary>The latest run line, and its end line if it has one.</summary>
        public JournalRecord? LastRun { get; private set; }
        public JournalRecord? LastEnd { get; private set; }

        public IReadOnlyDictionary<int, RowFacts> Rows => _rows;

        /// <summary>The goal of the latest run (a journal of format 1 names none: save, the goal that keeps files).</summary>
        public string Goal => LastRun?.Goal ?? JobGoals.Save;

        /// <summary>
        /// Whether the job's input has been read to its end: by the latest run's end line, else by its line saying it read
        /// its input to the end, else as that run began (a journal of format 1 says nothing: taken as read).
        /// </summary>
        public bool InputEnded => LastEnd?.InputEnded ?? (_inputReadThisRun ? true : LastRun?.InputEnded) ?? (Format < 2 && LastAt is not null);

        private bool _inputReadThisRun;

        public void Apply(JournalRecord record)
        {
            if (record.At is { } at && (LastAt is null || at > LastAt)) LastAt = at;
            switch (record.Kind)
            {
                case JournalRecord.HeaderKind:
                    Format = record.Format ?? 1;
                    StartedAt ??= record.At;
                    return;
                case JournalRecord.Run:
                    LastRun = record;
                    LastEnd = null;
                    _inputReadThisRun = false;
                    return;
                case JournalRecord.InputRead:
                    _inputReadThisRun = true;
                    return;
                case JournalRecord.End:
                    LastEnd = record;
                    return;
            }
            if (record.Row is not { } row || row < 0) return;
            if (!_rows.TryGetValue(row, out var facts)) _rows[row] = facts = new RowFacts();
            facts.Apply(record);
        }

        /// <summary>The counts and money of the job as its lines stand, for a journal of <paramref name="journalBytes"/> bytes.</summary>
        public JobSummary Summarize(long journalBytes)
        {
            var goal = Goal;
            var summary = new JobSummary
            {
                JournalBytes = journalBytes,
                Goal = goal,
                Rows = _rows.Count,
                StartedAt = StartedAt,
                LastAt = LastAt,
                InputEnded = InputEnded,
                Run = LastRun is null ? null : new JobRun
                {
                    At = LastRun.At,
                    ProcessId = LastRun.ProcessId,
                    ProcessStarted = LastRun.ProcessStarted,
                    Machine = LastRun.Machine,
                    EndedAt = LastEnd?.At,
                    EndReason = LastEnd?.Reason,
                    Cutoff = LastEnd?.Cutoff,
                    ErrorId = LastEnd?.ErrorId,
                },
            };
            var cause = 0;
            long estimated = 0;
            decimal charged = 0;
            DateTimeOffset? firstExpiry = null;
            foreach (var facts in _rows.Values)
            {
                var outcome = facts.Outcome(goal);
                switch (outcome)
                {
                    case RowOutcome.Saved: summary.Saved++; break;
                    case RowOutcome.Failed: summary.Failed++; break;
                    case RowOutcome.Pending: summary.Pending++; break;
                    default: summary.NotSent++; break;
                }
                if (outcome == RowOutcome.Saved || outcome == RowOutcome.Pending || facts.HasTask) estimated += facts.EstimateCents;
                charged += facts.ChargedUsd ?? 0m;
                var code = facts.CauseCode(goal);
                if (code >= 2 && (cause == 0 || code < cause)) cause = code;
                else if (code == 1 && cause == 0) cause = -1; // 1 only when nothing more telling is there
                // Images that only RunAPI holds: a paid task not saved yet, or one done without an output folder.
                var onlyThere = outcome == RowOutcome.Pending || (outcome == RowOutcome.Saved && goal != JobGoals.Save);
                if (facts.HasTask && onlyThere && facts.TaskCreatedAt is { } created && (firstExpiry is null || created < firstExpiry)) firstExpiry = created;
            }
            summary.EstimatedCents = estimated;
            summary.ChargedUsd = charged;
            summary.CauseCode = cause == -1 ? 1 : cause;
            summary.ImagesExpireAt = firstExpiry + ImageUrlLifetime;
            return summary;
        }
    }
}
