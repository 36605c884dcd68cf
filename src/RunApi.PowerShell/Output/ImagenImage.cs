namespace RunApi
{
    /// <summary>One generated image of a task, as Save-ImagenImage takes it from the pipeline.</summary>
    public sealed class ImagenImage
    {
        public ImagenImage(string taskId, int index, string url, string? originUrl)
        {
            TaskId = taskId;
            Index = index;
            Url = url;
            OriginUrl = originUrl;
        }

        public string TaskId { get; }

        /// <summary>Position of the image in its task, from 0.</summary>
        public int Index { get; }

        /// <summary>The delivery URL; temporary, so save the image within 7 days.</summary>
        public string Url { get; }

        public string? OriginUrl { get; }

        /// <summary>The task this image came from, when it came from a task object (not public: no cycle in JSON or CSV).</summary>
        internal ImagenTask? Owner { get; private set; }

        internal ImagenImage OwnedBy(ImagenTask task) => new ImagenImage(TaskId, Index, Url, OriginUrl) { Owner = task };

        public override string ToString() => Url;
    }
}
