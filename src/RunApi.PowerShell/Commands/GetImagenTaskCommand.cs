using System.Management.Automation;
using RunApi.Client.Models;
using RunApi.PowerShell.Infrastructure;

namespace RunApi.PowerShell.Commands
{
    /// <summary>Gets the current state of tasks, once each, without waiting.</summary>
    [Cmdlet(VerbsCommon.Get, "ImagenTask", DefaultParameterSetName = TaskSet)]
    [OutputType(typeof(ImagenTask))]
    public sealed class GetImagenTaskCommand : TaskCmdlet
    {
        protected override void Handle(string taskId, TaskEndpoint endpoint, ImagenTask? known)
        {
            var client = Client;
            Work.Start(async token =>
            {
                var response = await client.GetTaskAsync(endpoint, taskId, token).ConfigureAwait(false);
                var task = ImagenTask.FromResponse(response, endpoint, known, client.TimeProvider.GetUtcNow());
                Work.Post(() => WriteObject(task));
            }, failure => WriteError(ErrorRecords.From(failure, (object?)known ?? taskId)));
        }
    }
}
