using System;
using System.Collections.Generic;
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
    /// Lists the jobs of this user (every New-ImagenImage batch is one), newest first, with counts that add up to their
    /// rows, money, status and an exit code for schedulers; with -Row, one object per input row of each job, in input order.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ImagenJob", DefaultParameterSetName = ListSet)]
    [OutputType(typeof(ImagenJob))]
    [OutputType(typeof(ImagenJobRow))]
    public sealed class GetImagenJobCommand : PSCmdlet
    {
        private const string ListSet = "List";
        private const string IdSet = "Id";

        /// <summary>Job ids (Get-ImagenJob shows them; Tab completes them).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
        [Alias("JobId")]
        [ArgumentCompleter(typeof(JobIdCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; } = Array.Empty<string>();

        /// <summary>Job names; wildcards allowed.</summary>
        [Parameter(Position = 0, ParameterSetName = ListSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        /// <summary>Only jobs with one of these statuses.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateSet("Running", "Completed", "CompletedWithErrors", "Interrupted", "CutOff", IgnoreCase = true)]
        public string[]? Status { get; set; }

        /// <summary>Only the N newest jobs (after -Name and -Status).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateRange(1, int.MaxValue)]
        public int Last { get; set; }

        /// <summary>One object per input row of each job, in input order, instead of the job.</summary>
        [Parameter]
        public SwitchParameter Row { get; set; }

        private readonly List<ImagenJob> _listed = new List<ImagenJob>();

        protected override void ProcessRecord()
        {
            var store = JobStore.Resolve();
            if (ParameterSetName == IdSet)
            {
                foreach (var id in Id)
                {
                    if (JobReader.Read(store, id) is not { } view)
                    {
                        WriteError(JobErrors.NotFound(id, store.Root));
                        continue;
                    }
                    Emit(new ImagenJob(view));
                }
                return;
            }
            var names = Name?.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList();
            foreach (var damaged in store.Unreadable())
            {
                WriteWarning($"The folder '{damaged.Path}' has a job record that cannot be read ({JobRecord.FileName} was changed or damaged), so it is not listed.");
            }
            foreach (var folder in store.All())
            {
                var record = folder.Record;
                if (record is null || (names is not null && !names.Any(n => n.IsMatch(record.Name)))) continue;
                if (JobReader.Read(folder) is not { } view) continue;
                var job = new ImagenJob(view);
                if (Status is not null && !Status.Contains(job.Status, StringComparer.OrdinalIgnoreCase)) continue;
                _listed.Add(job);
            }
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName == IdSet) return;
            var newestFirst = _listed.OrderByDescending(j => j.StartedAt).ThenBy(j => j.Id, StringComparer.Ordinal);
            foreach (var job in Last > 0 ? newestFirst.Take(Last) : newestFirst) Emit(job);
        }

        private void Emit(ImagenJob job)
        {
            if (job.Problem is { } problem) WriteWarning($"Job {job.Id} ({job.Name}): {problem}");
            if (!Row)
            {
                WriteObject(job);
                return;
            }
            try
            {
                foreach (var row in JobReader.Rows(JobStore.Resolve().Folder(job.Id))) WriteObject(new ImagenJobRow(job.Id, row));
            }
            catch (JournalException ex)
            {
                WriteError(ErrorRecords.From(ex, job));
            }
        }
    }
}
