using System;
using System.Management.Automation;
using RunApi.Client;
using RunApi.Client.Batches;
using RunApi.Client.Models;
using RunApi.PowerShell.Cmdlets;
using RunApi.PowerShell.Errors;

namespace RunApi.PowerShell.Commands
{
    /// <summary>Waits for tasks concurrently and emits each as soon as it completes; failures are error records.</summary>
    [Cmdlet(VerbsLifecycle.Wait, "ImagenTask", DefaultParameterSetName = TaskSet)]
    [OutputType(typeof(ImagenTask))]
    public sealed class WaitImagenTaskCommand : TaskCmdlet
    {
        /// <summary>How long to wait for each task; default 15 minutes, as the RunAPI SDKs.</summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int TimeoutSec { get; set; } = (int)WaitOptions.DefaultTimeout.TotalSeconds;

        internal override TimeSpan? RateLimitPatience => TimeSpan.FromSeconds(TimeoutSec);

        internal override BatchSettings BatchSettingsFor() => new BatchSettings
        {
            Goal = BatchGoal.Complete,
            LookLimit = ThrottleLimit,
            WaitTimeout = TimeSpan.FromSeconds(TimeoutSec),
        };

        internal override string? ProgressActivity() => "Waiting for Imagen tasks";

        internal override string DescribeProgress(BatchCounts counts) =>
            $"{counts.Submitted} tasks: {ProgressTracker.Generating(counts)}, {counts.Completed} completed, {counts.Failed} failed";

        // What the task object knows lets the schedule look when tasks like it finish, and learn from it.
        private protected override BatchInput InputFor(string taskId, TaskEndpoint endpoint, ImagenTask? known) =>
            BatchInput.ToWait(endpoint, taskId, known?.SubmittedAt, known?.Model, known);

        internal override void OnCompleted(BatchInput input) => WriteObject(TaskOf(input));

        internal override void OnFailed(BatchInput input, BatchFailure failure) =>
            WriteError(ErrorRecords.From(failure.Error, TargetOf(input)));
    }
}
