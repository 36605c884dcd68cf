using System.Management.Automation;
using RunApi.Client.Configuration;
using RunApi.Client.Journal;
using RunApi.PowerShell.Errors;

namespace RunApi.PowerShell.Jobs
{
    /// <summary>The errors of the job cmdlets.</summary>
    internal static class JobErrors
    {
        public static ErrorRecord NotFound(string id, string root) =>
            ErrorRecords.From(new JournalException(JournalProblem.JobNotFound,
                $"There is no job '{id}' in '{root}'. Get-ImagenJob lists the jobs there ({EnvironmentVariables.JobPath} moves the folder)."), id);

        public static ErrorRecord Running(string id) =>
            ErrorRecords.From(new JournalException(JournalProblem.JobRunning,
                $"Job {id} is running: a command is writing it now. Wait for it to end (Get-ImagenJob -Id {id} shows when), or stop that command first."), id);
    }
}
