using RunApi.Client.Jobs;

namespace RunApi.PowerShell.Jobs
{
    /// <summary>What batch commands say of their job.</summary>
    internal static class JobLines
    {
        /// <summary>The closing line of a batch, naming its job: "3 images made, 0 failed; charged $0.24 (estimated $0.24). Job k3m9x2qa: Get-ImagenJob -Id k3m9x2qa".</summary>
        public static string Closing(string summary, JobFolder? job) =>
            job is null ? summary : $"{summary} Job {job.Id}: Get-ImagenJob -Id {job.Id}";

        /// <summary>What -MaxDuration left: the rows not sent and the paid tasks not done, in the job that holds them.</summary>
        public static string CutOff(System.TimeSpan maxDuration, NewImage.CutoffClock clock, int paidLeft, JobFolder? job) =>
            $"-MaxDuration {maxDuration}: the time is up. {clock.RowsCut} row(s) were not sent" +
            (paidLeft > 0 ? $", and {paidLeft} paid task(s) were not done within the grace of {clock.Grace.TotalSeconds:0.#} s" : string.Empty) +
            (job is null ? "." : $"; they stay in job {job.Id}, and Resume-ImagenJob -Id {job.Id} finishes them without paying twice.");

        public static string FailedLeftAlone(ResumeContext resume) =>
            $"{resume.FailedLeft} failed row(s) were left as they are" +
            (resume.RetryableLeft > 0 ? $"; {resume.RetryableLeft} of them failed for a cause that may pass, and -RetryFailed sends them again, a new charge each." : ".");
    }
}
