using System;
using System.Threading;
using System.Threading.Tasks;
using RunApi.Client.Downloads;
using RunApi.Client.Models;

namespace RunApi.Client.Batches
{
    /// <summary>
    /// The batch's one view of whoever runs it: what the batch asks of it, and what it tells it.
    /// <para>
    /// The asks are called from the batch's work, on any thread, several at once. The events are told one at a time,
    /// under the batch's lock, just after the batch's own state has changed (so <see cref="ImagenBatch.IsIdle"/>,
    /// <see cref="ImagenBatch.HasRoomFor"/> and <see cref="ImagenBatch.Counts"/> already agree with each event), in
    /// order for each input, ending with <see cref="Ended"/>. An event must return at once, never block on another
    /// thread and never call back into the batch: a host that must act on another thread queues the event there.
    /// Once the batch's work is stopped, nothing more is told.
    /// </para>
    /// </summary>
    internal interface IBatchHost
    {
        /// <summary>For the Save goal: where image <paramref name="imageIndex"/> of a completed input goes.</summary>
        DownloadTarget SaveTarget(BatchInput input, int imageIndex, TaskImage image);

        /// <summary>The step before a create is sent (uploads of local source images), on the batch's work.</summary>
        Task BeforeCreateAsync(CreateTaskRequest request, CancellationToken cancellationToken);

        /// <summary>RunAPI answered the create: <see cref="BatchInput.Created"/> is set.</summary>
        void Created(BatchInput input);

        /// <summary>The task completed: <see cref="BatchInput.Task"/> holds it with its images.</summary>
        void Completed(BatchInput input);

        /// <summary>A Look input's task as it is now, in <see cref="BatchInput.Task"/>.</summary>
        void Looked(BatchInput input);

        void Saved(BatchInput input, int imageIndex, DownloadedImage image);

        /// <summary>A stage failed for this input (for one image, when <see cref="BatchFailure.ImageIndex"/> is set).</summary>
        void Failed(BatchInput input, BatchFailure failure);

        /// <summary>Nothing more will come for this input.</summary>
        void Ended(BatchInput input);
    }

    /// <summary>The stage an input was in when it failed.</summary>
    internal enum BatchStage
    {
        Create,
        Wait,
        Look,
        Save,
    }

    /// <summary>Why an input, or one of its images, did not reach the goal.</summary>
    internal sealed class BatchFailure
    {
        public BatchFailure(BatchStage stage, Exception error, int? imageIndex = null, Uri? source = null)
        {
            Stage = stage;
            Error = error;
            ImageIndex = imageIndex;
            Source = source;
        }

        public BatchStage Stage { get; }
        public Exception Error { get; }

        /// <summary>For a failed download: which image of the task.</summary>
        public int? ImageIndex { get; }

        /// <summary>For a failed download: the image URL.</summary>
        public Uri? Source { get; }
    }
}
