using System.Globalization;

namespace RunApi.PowerShell.Infrastructure
{
    /// <summary>The predictable name of a saved image: task id and index; the extension comes from the content.</summary>
    internal static class ImageFileNames
    {
        public static string For(ImagenImage image) => image.TaskId + "_" + image.Index.ToString(CultureInfo.InvariantCulture);
    }
}
