using System;
using System.Threading;
using System.Threading.Tasks;
using RunApi.Client.Downloads;
using RunApi.Client.Models;

namespace RunApi.Client.Batches
{
    /// <summary>Where an input joins the batch: the first stage it goes through.</summary>
    internal enum BatchEntry
    {
        /// <summary>A request to send: create, then (by the goal) wait and save.</summary>
        Create,

        /// <summary>An existing task to wait for, then (by the goal) save.</summary>
        Wait,

        /// <summary>An existing task to look at once.</summary>
        Look,

        /// <summary>One image to download.</summary>
        Save,
    }

    /// <summary>
    /// One input of a batch and what has become of it. The batch's work sets the fields as it goes; the consumer reads
    /// them in the events, and after the batch has stopped, to report what was left unfinished.
    /// </summary>
    internal sealed class BatchInput
    {
        private int _createAttempts;

        private BatchInput(BatchEntry entry, object? tag)
        {
            Entry = entry;
            Tag = tag;
        }

        /// <param name="idempotencyKey">The create's key; a new one when null. Known before anything is sent, so a
        /// create whose answer was lost can always be named by it.</param>
        public static BatchInput ToCreate(CreateTaskRequest request, string? idempotencyKey = null, object? tag = null) =>
            new BatchInput(BatchEntry.Create, tag)
            {
                Request = request ?? throw new ArgumentNullException(nameof(request)),
                Endpoint = request.Endpoint,
                IdempotencyKey = string.IsNullOrWhiteSpace(idempotencyKey) ? RunApiClient.NewIdempotencyKey() : idempotencyKey!,
            };

        /// <param name="submittedAt">When the task was created, if known: the poll schedule counts from it.</param>
        public static BatchInput ToWait(TaskEndpoint endpoint, string taskId, DateTimeOffset? submittedAt = null, string? model = null, object? tag = null) =>
            new BatchInput(BatchEntry.Wait, tag) { Endpoint = endpoint, TaskId = taskId, SubmittedAt = submittedAt, Model = model };

        /// <summary>A task created by an earlier run (from a journal), to wait for and save as if this run had created it.</summary>
        public static BatchInput ToResume(CreatedTask created, object? tag = null) =>
            new BatchInput(BatchEntry.Wait, tag)
            {
                Request = created.Request,
                IdempotencyKey = created.IdempotencyKey,
                Endpoint = created.Endpoint,
                TaskId = created.Id,
                Created = created,
                SubmittedAt = created.SubmittedAt,
                Model = created.Request.Model,
            };

        public static BatchInput ToLook(TaskEndpoint endpoint, string taskId, object? tag = null) =>
            new BatchInput(BatchEntry.Look, tag) { Endpoint = endpoint, TaskId = taskId };

        public static BatchInput ToSave(Uri source, DownloadTarget target, object? tag = null) =>
            new BatchInput(BatchEntry.Save, tag) { Source = source, Target = target };

        public BatchEntry Entry { get; }

        /// <summary>The consumer's own: the prompt, the task object or the row the input came from.</summary>
        public object? Tag { get; }

        public CreateTaskRequest? Request { get; private set; }
        public string? IdempotencyKey { get; private set; }
        public TaskEndpoint Endpoint { get; private set; } = TaskEndpoint.TextToImage;
        public DateTimeOffset? SubmittedAt { get; private set; }
        public string? Model { get; private set; }
        public Uri? Source { get; private set; }
        public DownloadTarget? Target { get; private set; }

        /// <summary>The task id: given, or set once the create is answered.</summary>
        public string? TaskId { get; internal set; }

        /// <summary>Set once RunAPI answered the create.</summary>
        public CreatedTask? Created { get; internal set; }

        /// <summary>The last state of the task that was seen.</summary>
        public TaskResponse? Task { get; internal set; }

        /// <summary>True once a create attempt may have reached RunAPI: from then on a task may exist and be charged.</summary>
        public bool CreateSent => Volatile.Read(ref _createAttempts) > 0;

        internal int CountCreateAttempt() => Interlocked.Increment(ref _createAttempts);

        /// <summary>Images of the task saved so far.</summary>
        public int ImagesSaved { get; internal set; }

        /// <summary>The input's row in the batch's journal; null when it is not journalled.</summary>
        public int? JournalRow { get; set; }

        /// <summary>The input's position in its command, from 0 (file name templates use it as {Row}).</summary>
        public int? Row { get; set; }

        /// <summary>The row's request as the consumer built it, which a later run matches its rows by.</summary>
        public string? JournalInput { get; set; }

        /// <summary>The write of the row's accepted line, once begun.</summary>
        internal Task? AcceptedLine { get; set; }

        /// <summary>
        /// The consumer's own: set once it has handed over what the input was for (its result, or its last error). An
        /// input that a stop leaves open without it is what the consumer must still report.
        /// </summary>
        public bool HandedOver { get; set; }

        // The batch's, under its lock.
        internal bool HoldsEntrySlot { get; set; }
    }
}
