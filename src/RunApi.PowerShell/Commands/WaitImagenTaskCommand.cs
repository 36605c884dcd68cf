using System;
using System.Management.Automation;
using RunApi.Client.Errors;
using RunApi.Client.Models;
using RunApi.Client.Polling;
using RunApi.PowerShell.Infrastructure;

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


        protected override void Handle(string taskId, TaskEndpoint endpoint, ImagenTask? known)
        {
            var progress = Progress(1, "Waiting for Imagen tasks");
            progress.Add();
            var client = Client;
            // What the task object knows lets the schedule look when tasks like it finish, and learn from it.
            var options = new WaitOptions { Timeout = TimeSpan.FromSeconds(TimeoutSec), SubmittedAt = known?.SubmittedAt, Model = known?.Model };
            Work.Start(async token =>
            {
                var response = await client.WaitAsync(endpoint, taskId, options, cancellationToken: token).ConfigureAwait(false);
                var task = ImagenTask.FromResponse(response, endpoint, known, client.TimeProvider.GetUtcNow());
                Work.Post(() =>
                {
                    progress.Succeeded();
                    WriteObject(task);
                });
            }, failure =>
            {
                progress.Failed();
                WriteError(ErrorRecords.From(failure, TargetFor(failure, taskId, endpoint, known, client.TimeProvider)));
            });
        }


        /// <summary>The task itself, in its last known state, is the target of a wait's error.</summary>
        private static object TargetFor(Exception failure, string taskId, TaskEndpoint endpoint, ImagenTask? known, TimeProvider time) =>
            failure is RunApiException { Task: not null } api
                ? ImagenTask.FromResponse(api.Task!, endpoint, known, time.GetUtcNow())
                : (object?)known ?? taskId;
    }
}
