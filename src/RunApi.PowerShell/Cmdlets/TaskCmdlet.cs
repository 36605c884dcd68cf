using System;
using System.Management.Automation;
using RunApi.Client.Batches;
using RunApi.Client.Models;

namespace RunApi.PowerShell.Cmdlets
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

        // Position 0 too, so a task given by position binds as the task (its endpoint, prompt and model kept), not as its id.
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = TaskSet)]
        public ImagenTask[] InputObject { get; set; } = Array.Empty<ImagenTask>();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
        [Alias("Id", "task_id")]
        [ValidateNotNullOrEmpty]
        public string[] TaskId { get; set; } = Array.Empty<string>();

        /// <summary>Carried through from piped rows (a CSV of tasks), so the tasks written keep what was asked.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet, DontShow = true)]
        public string? Prompt { get; set; }

        /// <summary>Carried through from piped rows, like <see cref="Prompt"/>.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet, DontShow = true)]
        public string? Model { get; set; }

        /// <summary>text_to_image (default) or remix_image: the endpoint that created the task.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
        [ValidateSet("text_to_image", "remix_image", "text-to-image", "remix-image", IgnoreCase = true)]
        public string Endpoint { get; set; } = TaskEndpoint.TextToImage.Name;

        /// <summary>Task GETs of this command in flight at once (all commands of a key share a bound of 16 too).</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 16;

        protected override void ProcessRecord()
        {
            if (ParameterSetName == TaskSet)
            {
                foreach (var task in InputObject)
                {
                    TaskEndpoint.TryParse(task.Endpoint, out var endpoint);
                    Submit(InputFor(task.TaskId, endpoint, task));
                }
            }
            else
            {
                TaskEndpoint.TryParse(Endpoint, out var endpoint);
                var ask = Prompt is null && Model is null ? null : new TaskAsk(Model, Prompt, null, null, null);
                foreach (var id in TaskId) Submit(InputFor(id.Trim(), endpoint, ask is null ? null : ImagenTask.Known(id.Trim(), endpoint.Name, ask)));
            }
        }

        /// <param name="known">The task object that came down the pipeline, if any: its prompt and model are kept.</param>
        private protected abstract BatchInput InputFor(string taskId, TaskEndpoint endpoint, ImagenTask? known);

        /// <summary>The task as last seen, keeping what the piped task object knew.</summary>
        private protected ImagenTask TaskOf(BatchInput input) =>
            ImagenTask.FromResponse(input.Task!, input.Endpoint, input.Tag as ImagenTask, Client.TimeProvider.GetUtcNow());

        /// <summary>The target of an error: the task in its last known state, else the piped task, else the id.</summary>
        private protected object TargetOf(BatchInput input) =>
            input.Task is not null ? TaskOf(input) : input.Tag ?? input.TaskId!;
    }
}
