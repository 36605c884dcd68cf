using System;
using RunApi.Client.Downloads;
using RunApi.Client.Http;

namespace RunApi.Client.Batches
{
    /// <summary>How far an input created by the batch goes.</summary>
    internal enum BatchGoal
    {
        /// <summary>Created: the task is handed over as soon as RunAPI accepts it.</summary>
        Create,

        /// <summary>Waited for until it completes.</summary>
        Complete,

        /// <summary>Waited for, and its images saved.</summary>
        Save,
    }

    /// <summary>
    /// The bounds and choices of one batch. What the batch must ask of whoever runs it (where an image goes, the step
    /// before a create) is asked of its <see cref="IBatchHost"/>.
    /// </summary>
    internal sealed class BatchSettings
    {
        /// <summary>
        /// Creates in flight. A create holds its place only until RunAPI answers it, never while the task generates.
        /// </summary>
        public int CreateLimit { get; set; } = DefaultCreateLimit;

        /// <summary>Task GETs in flight for this batch (its own bound; the process-wide one per origin and key holds too).</summary>
        public int LookLimit { get; set; } = TaskLookGate.MaxConcurrentLooks;

        /// <summary>Downloads in flight.</summary>
        public int DownloadLimit { get; set; } = DefaultDownloadLimit;

        public const int DefaultCreateLimit = 8;
        public const int DefaultDownloadLimit = 4;

        public BatchGoal Goal { get; set; } = BatchGoal.Create;

        /// <summary>The whole wait for one task.</summary>
        public TimeSpan WaitTimeout { get; set; } = WaitOptions.DefaultTimeout;

        /// <summary>Where inputs with a journal row are recorded; null for none.</summary>
        public IBatchJournal? Journal { get; set; }

        /// <summary>Downloads for the Save goal and Save inputs; made from the client's options when null.</summary>
        internal ImageDownloader? Downloader { get; set; }
    }
}
