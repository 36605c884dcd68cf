using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using RunApi.Client.Journal;

namespace RunApi.Client.Jobs
{
    /// <summary>A job as it stands: its record, its counts, its status and exit code, and what was wrong reading it.</summary>
    internal sealed class JobView
    {
        public JobView(JobFolder folder, JobRecord record, JobSummary summary, JobStatus state, string? problem)
        {
            Folder = folder;
            Record = record;
            Summary = summary;
            State = state;
            Problem = problem;
        }

        public JobFolder Folder { get; }
        public JobRecord Record { get; }
        public JobSummary Summary { get; }
        public JobStatus State { get; }

        /// <summary>Why the counts may be old (the journal is gone or cannot be read), or null.</summary>
        public string? Problem { get; }

        public int ExitCode => Summary.ExitCode(State);

        /// <summary>When the latest run ended; for one that was killed, when it last wrote; null while running.</summary>
        public DateTimeOffset? EndedAt => State == JobStatus.Running ? null : Summary.Run?.EndedAt ?? Summary.LastAt;
    }

    /// <summary>One row of a job, in the words of its counts.</summary>
    internal sealed class JobRowView
    {
        public int Row { get; set; }
        public string? Prompt { get; set; }
        public string? Model { get; set; }
        public RowOutcome Outcome { get; set; }
        public string? TaskId { get; set; }
        public IReadOnlyList<string> Files { get; set; } = Array.Empty<string>();
        public string? ErrorId { get; set; }
        public string? Error { get; set; }
        public bool Retryable { get; set; }
        public decimal? ChargedUsd { get; set; }
        public decimal EstimatedUsd { get; set; }
    }

    /// <summary>
    /// Reads jobs for listing. A job's summary is believed only when it was folded from the journal as it is now (same
    /// length), or while its writer still runs (then it is at most a second old). Otherwise, as after a kill -9 between
    /// two summaries, the journal is folded again, and the summary written back so that the next listing is quick.
    /// </summary>
    internal static class JobReader
    {
        /// <summary>The job of this id in <paramref name="store"/>, read; null when there is none.</summary>
        public static JobView? Read(JobStore store, string id) => store.Find(id.Trim()) is { } folder ? Read(folder) : null;

        public static JobView? Read(JobFolder folder)
        {
            var record = folder.Record;
            if (record is null) return null;
            var journal = folder.JournalPath;
            var length = File.Exists(journal) ? new FileInfo(journal).Length : -1;
            var summary = JobSummary.Read(folder.SummaryPath);
            var running = JobProcess.IsWriting(summary?.Run, folder.Id);
            if (summary is not null && (summary.JournalBytes == length || running))
            {
                return new JobView(folder, record, summary, summary.StateWhen(running), null);
            }
            if (length < 0)
            {
                return new JobView(folder, record, summary ?? new JobSummary(), (summary ?? new JobSummary()).StateWhen(false),
                    $"Its journal '{journal}' is gone: the counts are as it last stood.");
            }
            try
            {
                var content = JournalFile.ReadAll(journal, withRows: false);
                var folded = content.Tally.Summarize(content.Length);
                running = JobProcess.IsWriting(folded.Run, folder.Id);
                if (!running && new FileInfo(journal).Length == content.Length) TryWrite(folded, folder.SummaryPath);
                return new JobView(folder, record, folded, folded.StateWhen(running), null);
            }
            catch (Exception ex) when (ex is JournalException || ex is IOException || ex is UnauthorizedAccessException)
            {
                var known = summary ?? new JobSummary();
                return new JobView(folder, record, known, known.StateWhen(false), ex.Message);
            }
        }

        private static void TryWrite(JobSummary summary, string path)
        {
            try
            {
                summary.Write(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // Read-only or full: the journal is folded again next time, which is slower but as true.
            }
        }

        /// <summary>Every row of the job, in input order.</summary>
        /// <exception cref="JournalException">The journal is gone, damaged, or of a newer module.</exception>
        public static IEnumerable<JobRowView> Rows(JobFolder folder)
        {
            var content = JournalFile.ReadAll(folder.JournalPath);
            var goal = content.Tally.Goal;
            foreach (var pair in content.Rows)
            {
                var row = pair.Value;
                var facts = row.Facts;
                var outcome = facts.Outcome(goal);
                var (prompt, model) = PromptAndModel(row.Input);
                yield return new JobRowView
                {
                    Row = pair.Key,
                    Prompt = prompt ?? row.RefusedPrompt,
                    Model = model,
                    Outcome = outcome,
                    TaskId = row.TaskId,
                    Files = row.Saved.OrderBy(s => s.Key).Select(s => s.Value).ToList(),
                    ErrorId = outcome == RowOutcome.Saved ? null : facts.FailureErrorId ?? (facts.NotSent ? NotSentErrorId(facts.NotSentReason) : null),
                    Error = outcome == RowOutcome.Saved ? null : row.Failure?.Error,
                    Retryable = outcome == RowOutcome.Failed && facts.Retryable,
                    ChargedUsd = facts.ChargedUsd,
                    EstimatedUsd = facts.EstimateCents / 100m,
                };
            }
        }

        /// <summary>Why a row was not sent, as the ErrorId the command wrote (or would have) for it.</summary>
        private static string? NotSentErrorId(string? reason) =>
            reason == Cutoffs.Budget ? "RunApiBudgetExceeded"
            : reason == Cutoffs.Duration ? "RunApiCutOff"
            : null;

        private static (string? Prompt, string? Model) PromptAndModel(string? input)
        {
            if (input is null) return (null, null);
            try
            {
                using var json = JsonDocument.Parse(input);
                var root = json.RootElement;
                return (root.TryGetProperty("prompt", out var p) ? p.GetString() : string.Empty,
                        root.TryGetProperty("model", out var m) ? m.GetString() : null);
            }
            catch (JsonException)
            {
                return (null, null);
            }
        }
    }
}
