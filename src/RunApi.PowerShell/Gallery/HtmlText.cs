using System.IO;

namespace RunApi.PowerShell.Gallery
{
    /// <summary>
    /// Text made safe for HTML, in element content and in quoted attribute values alike: every value a page shows
    /// (prompts, ids, anything read from a file or the service) goes through here.
    /// </summary>
    internal static class HtmlText
    {
        public static void Write(TextWriter writer, string? text)
        {
            if (text is null) return;
            var start = 0;
            for (var i = 0; i < text.Length; i++)
            {
                var entity = EntityFor(text[i]);
                if (entity is null) continue;
                if (i > start) writer.Write(text.Substring(start, i - start));
                writer.Write(entity);
                start = i + 1;
            }
            if (start == 0) writer.Write(text);
            else if (start < text.Length) writer.Write(text.Substring(start));
        }

        private static string? EntityFor(char c)
        {
            switch (c)
            {
                case '&': return "&amp;";
                case '<': return "&lt;";
                case '>': return "&gt;";
                case '"': return "&quot;";
                case '\'': return "&#39;";
                case '\0': return "\uFFFD"; // HTML replaces NUL anyway; say so rather than write it
                default: return null;
            }
        }
    }
}
