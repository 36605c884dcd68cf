using System.Reflection;

namespace RunApi
{
    /// <summary>
    /// The names under which an image file holds its provenance: PNG text keywords (Creation Time and Software are the
    /// standard ones), and the keys of the JSON in a JPEG comment.
    /// </summary>
    internal static class MetadataKeys
    {
        public const string Prompt = "Prompt";
        public const string NegativePrompt = "Negative Prompt";
        public const string Model = "Model";
        public const string Seed = "Seed";
        public const string AspectRatio = "Aspect Ratio";
        public const string TaskId = "Task Id";
        public const string Endpoint = "Endpoint";
        public const string ImageIndex = "Image Index";
        public const string CreationTime = "Creation Time";
        public const string Software = "Software";

        public static readonly string SoftwareName = "RunApi " +
            (typeof(MetadataKeys).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0");
    }
}
