using System;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace RunApi.PowerShell.Files
{
    /// <summary>The predictable name of a saved image: task id and index; the extension comes from the content.</summary>
    internal static class ImageFileNames
    {
        public static string For(ImagenImage image) => image.TaskId + "_" + image.Index.ToString(CultureInfo.InvariantCulture);

        // Image hosts name the file of a task or job by its position or a stock word (…/task_a/0.png, …/Xy7k2/out-0.png);
        // the folder above it is what tells two such images apart.
        private static readonly Regex StockName = new Regex(@"^((image|img|out|output|result|file|original)[-_]?)?[0-9]*$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>
        /// A name for an image known only by its URL: the last path segment without its extension, or, when that is only
        /// an index or a stock word, the segment before it and that one joined by '_' (…/task_a/0.png gives task_a_0).
        /// Not yet safe as a file name: the caller makes it so.
        /// </summary>
        public static string FromUrl(Uri url)
        {
            var segments = url.Segments.Select(s => Uri.UnescapeDataString(s.Trim('/'))).Where(s => s.Length > 0).ToList();
            if (segments.Count == 0) return "image";
            var stem = System.IO.Path.GetFileNameWithoutExtension(segments[segments.Count - 1]);
            if (string.IsNullOrWhiteSpace(stem)) return "image";
            return StockName.IsMatch(stem) && segments.Count > 1 ? segments[segments.Count - 2] + "_" + stem : stem;
        }
    }
}
