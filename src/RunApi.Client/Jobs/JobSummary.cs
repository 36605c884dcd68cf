using System;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;
using RunApi.Client.Errors;
using RunApi.Client.Journal;

namespace RunApi.Client.Jobs
{
    /// <summary>What a job's status is, in the words Get-ImagenJob shows.</summary>
    internal enum JobStatus
    {
        /// <summary>A command is writing the job now.</summary>
        Running,

        /// <summary>Its input read to the end, and every row reached the goal.</summary>
        Completed,

        /// <summary>Its input read to the end, every row answered, some failed for good.</summary>
        CompletedWithErrors,

        /// <summary>Stopped before every row was answered: killed, Ctrl+C, a refused key. Resume-ImagenJob finishes it.</summary>
        Interrupted,

        /// <summary>Stopped by -MaxDuration or -MaxCostUsd with rows left; Resume-ImagenJob finishes it.</summary>
        CutOff,
    }

    /// <summary>The latest run of a job: the process that wrote it, and how it ended (nothing when it did not end).</summary>
    internal sealed class JobRun
    {
        [JsonPropertyName("at")] public DateTimeOffset? At { get; set; }
        [JsonPropertyName("pid")] public int? ProcessId { get; set; }
        [JsonPropertyName("started")] public DateTimeOffset? ProcessStarted { get; set; }
        [JsonPropertyName("host")] public string? Machine { get; set; }
        [JsonPropertyName("endedAt")] public DateTimeOffset? EndedAt { get; set; }
        [JsonPropertyName("endReason")] public string? EndReason { get; set; }
        [JsonPropertyName("cutoff")] public string? Cutoff { get; set; }

        /// <summary>The ErrorId of a terminating error that ended it (no key, a balance too low for the first prompt).</summary>
        [JsonPropertyName("errorId")] public string? ErrorId { get; set; }
    }

    /// <summary>
    /// A job's counts, money and latest run, folded from its journal (<see cref="JobTally"/>), kept in summary.json so that
    /// listing jobs reads one small file per job. It names the journal length it was folded from: a summary whose length
    /// is not the journal's (the writer was killed between two summaries) is never believed; the journal is read again.
    /// </summary>
    internal sealed class JobSummary
    {
        public const string FileName = "summary.json";

        [JsonPropertyName("journalBytes")] public long JournalBytes { get; set; }
        [JsonPropertyName("goal")] public string Goal { get; set; } = Journal.JobGoals.Save;
        [JsonPropertyName("rows")] public int Rows { get; set; }
        [JsonPropertyName("saved")] public int Saved { get; set; }
        [JsonPropertyName("failed")] public int Failed { get; set; }
        [JsonPropertyName("pending")] public int Pending { get; set; }
        [JsonPropertyName("notSent")] public int NotSent { get; set; }
        [JsonPropertyName("estimatedCents")] public long EstimatedCents { get; set; }
        [JsonPropertyName("chargedUsd")] public decimal ChargedUsd { get; set; }

        /// <summary>The exit code of the rows' causes (0 when none has one).</summary>
        [JsonPropertyName("cause")] public int CauseCode { get; set; }

        [JsonPropertyName("startedAt")] public DateTimeOffset? StartedAt { get; set; }
        [JsonPropertyName("lastAt")] public DateTimeOffset? LastAt { get; set; }
        [JsonPropertyName("imagesExpireAt")] public DateTimeOffset? ImagesExpireAt { get; set; }
        [JsonPropertyName("inputEnded")] public bool InputEnded { get; set; }
        [JsonPropertyName("run")] public JobRun? Run { get; set; }

        /// <summary>The status, given whether the latest run's process still writes the job.</summary>
        public JobStatus StateWhen(bool running)
        {
            if (running) return JobStatus.Running;
            var left = Pending + NotSent;
            if (Run?.EndReason == EndReasons.Cutoff && (left > 0 || !InputEnded)) return JobStatus.CutOff;
            // A journal of format 1 has no run lines: it is taken as its rows say.
            if (InputEnded && left == 0 && (Run is null || Run.EndReason is not null)) return Failed == 0 ? JobStatus.Completed : JobStatus.CompletedWithErrors;
            return JobStatus.Interrupted;
        }

        /// <summary>
        /// The exit code for a scheduler, in the RunAPI CLI's table: 0 for a job completed; else the smallest of the codes of
        /// what happened to it: 2 authentication, 3 no credits (or a cutoff by -MaxCostUsd), 4 validation, 5 timeout or
        /// download (or a cutoff by -MaxDuration), 6 rate limit, 7 generation failed; 1 when none of those says why (an
        /// interrupted job, or one still running).
        /// </summary>
        public int ExitCode(JobStatus state)
        {
            if (state == JobStatus.Completed) return 0;
            if (state == JobStatus.Running) return 1;
            var code = CauseCode >= 2 ? CauseCode : int.MaxValue;
            if (Run?.ErrorId is { } stoppedBy && ErrorIds.ExitCodeOf(stoppedBy) is var byError && byError >= 2) code = Math.Min(code, byError);
            if (state == JobStatus.CutOff) code = Math.Min(code, Run?.Cutoff == Cutoffs.Budget ? 3 : 5);
            return code == int.MaxValue ? 1 : code;
        }

        public static JobSummary? Read(string path)
        {
            try
            {
                return JsonSerializer.Deserialize<JobSummary>(File.ReadAllBytes(path), JournalFile.Json);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is JsonException)
            {
                return null; // missing, half-written or unreadable: the journal is read instead
            }
        }

        public void Write(string path) => JobFiles.WriteAtomically(path, JsonSerializer.SerializeToUtf8Bytes(this, JournalFile.Json));
    }

    internal static class EndReasons
    {
        /// <summary>The command read its input to the end and waited for its work.</summary>
        public const string Completed = "completed";

        /// <summary>-MaxDuration or -MaxCostUsd held rows back.</summary>
        public const string Cutoff = "cutoff";

        /// <summary>Ctrl+C, a downstream Select-Object -First, a terminating error.</summary>
        public const string Stopped = "stopped";
    }

    internal static class Cutoffs
    {
        public const string Duration = "duration";
        public const string Budget = "budget";
    }
}
