using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using RunApi.Client.Jobs;
using RunApi.Client.Journal;
using RunApi.PowerShell.Errors;
using RunApi.PowerShell.Jobs;
using RunApi.PowerShell.Parameters;

namespace RunApi.PowerShell.Commands
{
    /// <summary>
    /// Finishes a job from the job alone, without its input file: waits for the tasks it paid for and saves their images,
    /// sends again with their own keys the creates that got no answer, and sends the rows it never sent; with
    /// -RetryFailed, also the rows that failed for a cause that may pass, a new charge each. It runs New-ImagenImage on
    /// the job's rows and journal, with the job's settings; the key is read again from the usual places.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Resume, "ImagenJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FileInfo), typeof(ImagenTask))]
    public sealed class ResumeImagenJobCommand : PSCmdlet, IDisposable
    {
        /// <summary>The jobs to finish (Get-ImagenJob shows their ids; Tab completes them).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("JobId")]
        [ArgumentCompleter(typeof(JobIdCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; } = Array.Empty<string>();

        /// <summary>Also send again the rows that failed for a cause that may pass (a failed generation, a rate limit, a timeout): a new charge each.</summary>
        [Parameter]
        public SwitchParameter RetryFailed { get; set; }

        /// <summary>The most this resume may spend, in US dollars: a create that would take the estimate past it is not sent.</summary>
        [Parameter]
        [ValidatePositiveUsd(nameof(MaxCostUsd))]
        public decimal? MaxCostUsd { get; set; }

        /// <summary>A time box for this resume: no create after it, a short grace for paid tasks, then it ends (CutOff).</summary>
        [Parameter]
        [ValidateDuration(nameof(MaxDuration))]
        public TimeSpan? MaxDuration { get; set; }

        /// <summary>The RunAPI key; default: $env:RUNAPI_API_KEY. A job never stores one.</summary>
        [Parameter]
        [ApiKeyTransformation]
        public SecureString? ApiKey { get; set; }

        /// <summary>The API origin; default: the one the job was made against.</summary>
        [Parameter]
        public Uri? BaseUri { get; set; }

        /// <summary>How often a failed request is retried; default: the job's.</summary>
        [Parameter]
        [Alias("MaximumRetryCount")]
        [ValidateRange(0, 10)]
        public int? MaxRetries { get; set; }

        private SteppablePipeline? _running;

        protected override void ProcessRecord()
        {
            var store = JobStore.Resolve();
            foreach (var id in Id)
            {
                if (JobReader.Read(store, id) is not { } view)
                {
                    WriteError(JobErrors.NotFound(id, store.Root));
                    continue;
                }
                Resume(view);
            }
        }

        private void Resume(JobView job)
        {
            if (job.State == JobStatus.Running)
            {
                WriteError(JobErrors.Running(job.Record.Id));
                return;
            }
            if (job.State == JobStatus.Completed)
            {
                WriteVerbose($"Job {job.Record.Id} ({job.Record.Name}) is Completed: every row is saved, and nothing is sent.");
                return;
            }
            JournalContent content;
            try
            {
                content = JournalFile.ReadAll(job.Folder.JournalPath);
            }
            catch (JournalException ex)
            {
                WriteError(ErrorRecords.From(ex, job.Record.Id));
                return;
            }
            var failed = content.Rows.Values.Where(r => r.Facts.Outcome(job.Record.Goal) == RowOutcome.Failed).ToList();
            var retryable = failed.Count(r => r.Facts.Retryable);
            if (job.Summary.Pending + job.Summary.NotSent == 0 && !(RetryFailed && retryable > 0))
            {
                // Nothing a resume would send or wait for: only failed rows, left as they are.
                if (failed.Count > 0) WriteWarning(JobLines.FailedLeftAlone(new ResumeContext(RetryFailed, job.Record.Goal) { FailedLeft = failed.Count, RetryableLeft = RetryFailed ? 0 : retryable }));
                if (!job.Summary.InputEnded) WriteWarning(JobResumption.InputNotEnded(job, content.Rows.Count));
                return;
            }
            var parameters = JobResumption.Parameters(job, MyInvocation.BoundParameters, BaseUri, ApiKey, MaxCostUsd, MaxRetries);
            if (MaxDuration is { } box) parameters["MaxDuration"] = box;
            var command = ScriptBlock.Create("param($Parameters) RunApi\\New-ImagenImage @Parameters");
            _running = command.GetSteppablePipeline(CommandOrigin.Internal, new object[] { parameters });
            ResumeContext.Offer(new ResumeContext(RetryFailed, job.Record.Goal));
            try
            {
                // Its output and errors are this command's: the engine links them to the command running now.
                _running.Begin(true, (EngineIntrinsics)GetVariableValue("ExecutionContext"));
            }
            finally
            {
                ResumeContext.Offer(null);
            }
            foreach (var row in JobRows.From(content.Rows)) WriteAll(_running.Process(row));
            WriteAll(_running.End());
            _running.Dispose();
            _running = null;
            if (!job.Summary.InputEnded) WriteWarning(JobResumption.InputNotEnded(job, content.Rows.Count));
        }

        private void WriteAll(Array? output)
        {
            if (output is null) return;
            foreach (var item in output) WriteObject(item);
        }

        public void Dispose()
        {
            _running?.Dispose();
            _running = null;
        }
    }
}
