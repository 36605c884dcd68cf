using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using RunApi.Client.Jobs;

namespace RunApi
{
    /// <summary>
    /// A batch as a job (Get-ImagenJob): what it is, where it stands, and what it cost. Its counts always add up to its
    /// rows: Saved + Failed + Pending + NotSent = Rows. Id binds by property name to Resume-ImagenJob and Remove-ImagenJob.
    /// </summary>
    public sealed class ImagenJob
    {
        internal ImagenJob(JobView view)
        {
            var record = view.Record;
            var summary = view.Summary;
            Id = record.Id;
            Name = record.Name;
            Status = view.State.ToString();
            Rows = summary.Rows;
            Saved = summary.Saved;
            Failed = summary.Failed;
            Pending = summary.Pending;
            NotSent = summary.NotSent;
            EstimatedCostUsd = summary.EstimatedCents / 100m;
            ChargedUsd = summary.ChargedUsd;
            StartedAt = summary.StartedAt ?? record.CreatedAt;
            EndedAt = view.EndedAt;
            ImagesExpireAt = summary.ImagesExpireAt;
            ExitCode = view.ExitCode;
            Goal = summary.Goal == Client.Journal.JobGoals.Save ? "Save" : summary.Goal == Client.Journal.JobGoals.Complete ? "Complete" : "Create";
            OutputDirectory = record.OutputDirectory;
            JournalPath = view.Folder.JournalPath;
            Origin = record.Origin;
            InputEnded = summary.InputEnded;
            Settings = record.Settings.ToDictionary(s => s.Key, s => Value(s.Value), StringComparer.OrdinalIgnoreCase);
            Module = record.Module;
            Problem = view.Problem;
        }

        public string Id { get; }
        public string Name { get; }

        /// <summary>Running, Completed, CompletedWithErrors, Interrupted or CutOff.</summary>
        public string Status { get; }

        /// <summary>The input rows the job knows of (those its command read).</summary>
        public int Rows { get; }

        /// <summary>Rows that reached the goal: files saved (with -OutputDirectory), task completed (-Wait) or created.</summary>
        public int Saved { get; }

        /// <summary>Rows with no usable task that only a new create (a new charge) can make: Resume-ImagenJob -RetryFailed.</summary>
        public int Failed { get; }

        /// <summary>Rows paid for (or perhaps paid: a create with no answer) and not done yet: Resume-ImagenJob finishes them without a new charge.</summary>
        public int Pending { get; }

        /// <summary>Rows read and never sent (a budget, a cutoff, a stop, a refused key): nothing was charged; Resume-ImagenJob sends them.</summary>
        public int NotSent { get; }

        /// <summary>The list price of the creates sent.</summary>
        public decimal EstimatedCostUsd { get; }

        /// <summary>What RunAPI charged for the tasks that completed (its figure, else the list price); a failed task is refunded.</summary>
        public decimal ChargedUsd { get; }

        public DateTimeOffset StartedAt { get; }

        /// <summary>When its latest run ended (for one killed, when it last wrote); empty while it runs.</summary>
        public DateTimeOffset? EndedAt { get; }

        /// <summary>When the first image URLs that the job has not saved expire (RunAPI keeps them 7 days); empty when none waits.</summary>
        public DateTimeOffset? ImagesExpireAt { get; }

        /// <summary>
        /// For a scheduled script: 0 ok; 2 authentication, 3 no credits (or a -MaxCostUsd cutoff), 4 validation, 5 timeout or
        /// download (or a -MaxDuration cutoff), 6 rate limit, 7 generation failed; 1 anything else (interrupted, running).
        /// </summary>
        public int ExitCode { get; }

        /// <summary>Save, Complete or Create: what counts as done for a row (-OutputDirectory, -Wait, neither).</summary>
        public string Goal { get; }

        public string? OutputDirectory { get; }
        public string JournalPath { get; }
        public string? Origin { get; }

        /// <summary>Whether the command read its input to the end: if not, rows past the last one read are not in the job.</summary>
        public bool InputEnded { get; }

        /// <summary>The parameters the command was given (never the key).</summary>
        public IReadOnlyDictionary<string, object?> Settings { get; }

        public string? Module { get; }

        /// <summary>Why the counts may be old (its journal is gone or cannot be read); empty when they are current.</summary>
        public string? Problem { get; }

        private static object? Value(JsonElement value)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String: return value.GetString();
                case JsonValueKind.Number: return value.TryGetInt32(out var i) ? i : (object)value.GetDecimal();
                case JsonValueKind.True: return true;
                case JsonValueKind.False: return false;
                case JsonValueKind.Array: return value.EnumerateArray().Select(v => v.ToString()).ToArray();
                default: return null;
            }
        }

        public override string ToString() => Id;
    }

    /// <summary>One input row of a job (Get-ImagenJob -Row), in input order: Export-Csv of them is the batch's report.</summary>
    public sealed class ImagenJobRow
    {
        internal ImagenJobRow(string jobId, JobRowView row)
        {
            JobId = jobId;
            Row = row.Row;
            Prompt = row.Prompt;
            Model = row.Model;
            Status = row.Outcome.ToString();
            TaskId = row.TaskId;
            Files = new ImagenJobFiles(row.Files);
            ErrorId = row.ErrorId;
            Error = row.Error;
            Retryable = row.Retryable;
            ChargedUsd = row.ChargedUsd;
            EstimatedCostUsd = row.EstimatedUsd;
        }

        public string JobId { get; }

        /// <summary>The row's place in the input, from 0.</summary>
        public int Row { get; }

        public string? Prompt { get; }
        public string? Model { get; }

        /// <summary>Saved, Failed, Pending or NotSent: the words of the job's counts.</summary>
        public string Status { get; }

        public string? TaskId { get; }

        /// <summary>The files saved for it; as text (Export-Csv), the paths separated by "; ".</summary>
        public ImagenJobFiles Files { get; }

        /// <summary>The ErrorId of its latest failure (or of why it was not sent), when it did not reach the goal.</summary>
        public string? ErrorId { get; }

        public string? Error { get; }

        /// <summary>A failed row whose cause may pass (a failed generation, a rate limit, a timeout): Resume-ImagenJob -RetryFailed sends it again.</summary>
        public bool Retryable { get; }

        public decimal? ChargedUsd { get; }
        public decimal EstimatedCostUsd { get; }

        public override string ToString() => $"{JobId}:{Row}";
    }

    /// <summary>The files of a job's row: a list, and as text the paths separated by "; " (one cell of a CSV report).</summary>
    public sealed class ImagenJobFiles : System.Collections.ObjectModel.ReadOnlyCollection<string>
    {
        internal ImagenJobFiles(IEnumerable<string> files) : base(files.ToList())
        {
        }

        public override string ToString() => string.Join("; ", this);
    }
}
