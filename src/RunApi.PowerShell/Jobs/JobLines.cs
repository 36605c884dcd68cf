using RunApi.Client.Jobs;

namespace RunApi.PowerShell.Jobs
{
    /// <summary>What batch commands say of their job.</summary>
    internal static class JobLines
    {
        /// <summary>The closing line of a batch, naming its job: "3 images made, 0 failed; charged $0.24 (estimated $0.24). Job k3m9x2qa: Get-ImagenJob -Id k3m9x2qa".</summary>
        public static string Closing(string summary, JobFolder? job) =>
            job is null ? summary : $"{summary} Job {job.Id}: Get-ImagenJob -Id {job.Id}";

        public static string FailedLeftAlone(ResumeContext resume) =>
            $"{resume.FailedLeft} failed row(s) were left as they are" +
            (resume.RetryableLeft > 0 ? $"; {resume.RetryableLeft} of them failed for a cause that may pass, and -RetryFailed sends them again, a new charge each." : ".");
    }
}
