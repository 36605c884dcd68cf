using System;

namespace RunApi.Client.Models
{
    /// <summary>One of the two Imagen 4 task endpoints; a task id is only meaningful together with its endpoint.</summary>
    internal sealed class TaskEndpoint : IEquatable<TaskEndpoint>
    {
        public static readonly TaskEndpoint TextToImage = new TaskEndpoint("text_to_image");
        public static readonly TaskEndpoint RemixImage = new TaskEndpoint("remix_image");

        private TaskEndpoint(string name)
        {
            Name = name;
        }

        /// <summary>The path segment and the API's name for it: text_to_image or remix_image.</summary>
        public string Name { get; }

        /// <summary>The create path; the task path is this plus /{id}.</summary>
        public string CreatePath => "/api/v1/imagen_4/" + Name;

        public string TaskPath(string taskId) => CreatePath + "/" + Uri.EscapeDataString(taskId);

        /// <summary>Accepts the API's names and the CLI's spelling (text-to-image, remix-image), any case.</summary>
        public static bool TryParse(string? text, out TaskEndpoint endpoint)
        {
            var normalized = (text ?? string.Empty).Trim().Replace('-', '_').ToLowerInvariant();
            if (normalized == TextToImage.Name) { endpoint = TextToImage; return true; }
            if (normalized == RemixImage.Name) { endpoint = RemixImage; return true; }
            endpoint = TextToImage;
            return false;
        }

        public bool Equals(TaskEndpoint? other) => other is not null && other.Name == Name;
        public override bool Equals(object? obj) => Equals(obj as TaskEndpoint);
        public override int GetHashCode() => Name.GetHashCode();
        public override string ToString() => Name;
    }
}
