using System;
using System.Management.Automation;
using RunApi.Client.Models;

namespace RunApi.PowerShell.Infrastructure
{
    /// <summary>
    /// A cmdlet that acts on existing tasks, given as task objects or as ids (bound by property name from any object,
    /// CSV rows included, through the aliases Id and task_id). The task-object set is the default so that a piped task
    /// binds whole (keeping its prompt and model); objects that are not tasks fall through to binding by property name.
    /// </summary>
    public abstract class TaskCmdlet : ApiCmdlet
    {
        protected const string TaskSet = "Task";
        protected const string IdSet = "Id";

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = TaskSet)]
        public ImagenTask[] InputObject { get; set; } = Array.Empty<ImagenTask>();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
        [Alias("Id", "task_id")]
        [ValidateNotNullOrEmpty]
        public string[] TaskId { get; set; } = Array.Empty<string>();

        /// <summary>text_to_image (default) or remix_image: the endpoint that created the task.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
        [ValidateSet("text_to_image", "remix_image", "text-to-image", "remix-image", IgnoreCase = true)]
        public string Endpoint { get; set; } = TaskEndpoint.TextToImage.Name;

        protected override void ProcessRecord()
        {
            if (ParameterSetName == TaskSet)
            {
                foreach (var task in InputObject)
                {
                    TaskEndpoint.TryParse(task.Endpoint, out var endpoint);
                    Handle(task.TaskId, endpoint, task);
                }
            }
            else
            {
                TaskEndpoint.TryParse(Endpoint, out var endpoint);
                foreach (var id in TaskId) Handle(id.Trim(), endpoint, null);
            }
            Work.RunReady();
        }

        /// <param name="known">The task object that came down the pipeline, if any: its prompt and model are kept.</param>
        protected abstract void Handle(string taskId, TaskEndpoint endpoint, ImagenTask? known);
    }
}
