using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace RunApi.PowerShell.Gallery
{
    /// <summary>
    /// The href of an image as seen from the page's folder: a relative URL of URI-escaped segments ("d/a%20b.png",
    /// "../other/c.png"), so the page and its images can move together. On Windows an image on another drive than
    /// the page has no relative path; it gets an absolute file:/// URL instead (which breaks if the folder moves).
    /// </summary>
    internal static class ImageLink
    {
        private static readonly bool IgnoreCase = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX);

        public static string From(string pageFolder, string imagePath)
        {
            var from = Segments(Path.GetFullPath(pageFolder));
            var to = Segments(Path.GetFullPath(imagePath));
            if (from.Count == 0 || to.Count == 0 || !Same(from[0], to[0])) return new Uri(Path.GetFullPath(imagePath)).AbsoluteUri;

            var common = 0;
            while (common < from.Count && common < to.Count - 1 && Same(from[common], to[common])) common++;
            var link = new StringBuilder();
            for (var i = common; i < from.Count; i++) link.Append("../");
            for (var i = common; i < to.Count; i++)
            {
                if (i > common) link.Append('/');
                link.Append(Uri.EscapeDataString(to[i]));
            }
            return link.ToString();
        }

        private static bool Same(string a, string b) => string.Equals(a, b, IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

        /// <summary>The root ("/" or "C:") first, then each folder and file name.</summary>
        private static List<string> Segments(string fullPath)
        {
            var root = Path.GetPathRoot(fullPath) ?? string.Empty;
            var segments = new List<string> { root.TrimEnd('\\', '/').Length == 0 ? "/" : root.TrimEnd('\\', '/') };
            foreach (var part in fullPath.Substring(root.Length).Split(new[] { Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar }, StringSplitOptions.RemoveEmptyEntries))
            {
                segments.Add(part);
            }
            return segments;
        }
    }
}
