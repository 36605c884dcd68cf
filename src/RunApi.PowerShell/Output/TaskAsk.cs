using RunApi.Client.Models;

namespace RunApi
{
    /// <summary>What a task was asked for: the facts a task object, a saved file and its embedded metadata carry.</summary>
    internal sealed class TaskAsk
    {
        public static readonly TaskAsk Unknown = new TaskAsk(null, null, null, null, null);

        public TaskAsk(string? model, string? prompt, string? negativePrompt, string? aspectRatio, long? seed)
        {
            Model = model;
            Prompt = prompt;
            NegativePrompt = negativePrompt;
            AspectRatio = aspectRatio;
            Seed = seed;
        }

        public string? Model { get; }
        public string? Prompt { get; }
        public string? NegativePrompt { get; }
        public string? AspectRatio { get; }
        public long? Seed { get; }

        public static TaskAsk From(CreateTaskRequest request) =>
            new TaskAsk(request.Model, request.Prompt, (request as TextToImageRequest)?.NegativePrompt, request.AspectRatio,
                (request as TextToImageRequest)?.Seed);

        /// <summary>Each fact from this one, or from <paramref name="other"/> where this one lacks it.</summary>
        public TaskAsk Or(TaskAsk other) =>
            new TaskAsk(Model ?? other.Model, Prompt ?? other.Prompt, NegativePrompt ?? other.NegativePrompt,
                AspectRatio ?? other.AspectRatio, Seed ?? other.Seed);
    }
}
