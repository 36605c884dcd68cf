using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using RunApi.Client.Jobs;
using RunApi.Client.Journal;
using RunApi.PowerShell.Errors;
using RunApi.PowerShell.Jobs;
using RunApi.PowerShell.Parameters;

namespace RunApi.PowerShell.Commands
{
    /// <summary>
    /// Removes jobs from the job folder: their record, summary and journal (a journal the user chose with -JournalPath
    /// is left where it is). The images are never touched. A job a command is writing is refused.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "ImagenJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = FilterSet)]
    [OutputType(typeof(void))]
    public sealed class RemoveImagenJobCommand : PSCmdlet
    {
        private const string IdSet = "Id";
        private const string FilterSet = "Filter";

        /// <summary>The jobs to remove.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
        [Alias("JobId")]
        [ArgumentCompleter(typeof(JobIdCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; } = Array.Empty<string>();

        /// <summary>Jobs that ended longer ago than this (a job killed: that last wrote).</summary>
        [Parameter(ParameterSetName = FilterSet)]
        public TimeSpan? OlderThan { get; set; }

        /// <summary>Only jobs with one of these statuses (a running job is never removed).</summary>
        [Parameter(ParameterSetName = FilterSet)]
        [ValidateSet("Completed", "CompletedWithErrors", "Interrupted", "CutOff", IgnoreCase = true)]
        public string[]? Status { get; set; }

        /// <summary>Only jobs with one of these names; wildcards allowed.</summary>
        [Parameter(ParameterSetName = FilterSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        protected override void BeginProcessing()
        {
            if (ParameterSetName == FilterSet && OlderThan is null && Status is null && Name is null)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument("RunApiJobFilterMissing",
                    "Say which jobs to remove: -Id, or one or more of -OlderThan, -Status and -Name. (To remove every job, " +
                    "Get-ImagenJob | Remove-ImagenJob.)", null));
            }
            if (OlderThan is { } age && age < TimeSpan.Zero)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument("RunApiInvalidParameter", $"-OlderThan must not be negative; '{age}' is.", age));
            }
        }

        protected override void ProcessRecord()
        {
            var store = JobStore.Resolve();
            if (ParameterSetName == IdSet)
            {
                foreach (var id in Id)
                {
                    if (JobReader.Read(store, id) is not { } view) WriteError(JobErrors.NotFound(id, store.Root));
                    else Remove(view);
                }
                return;
            }
            var names = Name?.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList();
            var cutoff = DateTimeOffset.UtcNow - (OlderThan ?? TimeSpan.Zero);
            foreach (var folder in store.All())
            {
                if (folder.Record is not { } record || (names is not null && !names.Any(n => n.IsMatch(record.Name)))) continue;
                if (JobReader.Read(folder) is not { } view || view.State == JobStatus.Running) continue;
                if (Status is not null && !Status.Contains(view.State.ToString(), StringComparer.OrdinalIgnoreCase)) continue;
                if (OlderThan is not null && (view.EndedAt ?? record.CreatedAt) > cutoff) continue;
                Remove(view);
            }
        }

        private void Remove(JobView job)
        {
            var record = job.Record;
            if (job.State == JobStatus.Running)
            {
                WriteError(JobErrors.Running(record.Id));
                return;
            }
            var what = $"Remove job {record.Id} '{record.Name}' ({job.State}, {Count(job.Summary.Rows, "row")}, started " +
                       $"{record.CreatedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}): its record" +
                       (job.Folder.JournalIsExternal ? $"; its journal '{job.Folder.JournalPath}' is kept" : " and journal") +
                       "; no image is removed";
            if (!ShouldProcess(record.Id, what)) return;
            try
            {
                JobRemoval.Remove(job.Folder);
            }
            catch (JournalException ex)
            {
                WriteError(ex.Problem == JournalProblem.InUse ? JobErrors.Running(record.Id) : ErrorRecords.From(ex, record.Id));
            }
        }

        private static string Count(int n, string what) => n.ToString(CultureInfo.InvariantCulture) + " " + what + (n == 1 ? string.Empty : "s");
    }
}
