using System.Management.Automation;
using RunApi.Client;
using RunApi.Client.Batches;
using RunApi.Client.Models;
using RunApi.PowerShell.Infrastructure;

namespace RunApi.PowerShell.Commands
{
    /// <summary>Gets the current state of tasks, once each, without waiting.</summary>
    [Cmdlet(VerbsCommon.Get, "ImagenTask", DefaultParameterSetName = TaskSet)]
    [OutputType(typeof(ImagenTask))]
    public sealed class GetImagenTaskCommand : TaskCmdlet
    {
        internal override BatchSettings BatchSettingsFor() => new BatchSettings { LookLimit = ThrottleLimit };

        private protected override BatchInput InputFor(string taskId, TaskEndpoint endpoint, ImagenTask? known) =>
            BatchInput.ToLook(endpoint, taskId, known);

        internal override void OnLooked(BatchInput input) => WriteObject(TaskOf(input));

        internal override void OnFailed(BatchInput input, BatchFailure failure) =>
            WriteError(ErrorRecords.From(failure.Error, TargetOf(input)));
    }
}
