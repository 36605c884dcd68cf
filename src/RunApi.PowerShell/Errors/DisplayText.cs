namespace RunApi.PowerShell.Errors
{
    /// <summary>Text as messages show it: a prompt on one short line, a path or id as a PowerShell argument.</summary>
    internal static class DisplayText
    {
        /// <summary>On one line, cut to 60 characters.</summary>
        public static string Shorten(string? text)
        {
            var flat = (text ?? string.Empty).Replace('\r', ' ').Replace('\n', ' ');
            return flat.Length <= 60 ? flat : flat.Substring(0, 57) + "...";
        }

        /// <summary>Single-quoted, as a PowerShell argument: 'it''s'.</summary>
        public static string Quoted(string text) => "'" + text.Replace("'", "''") + "'";
    }
}
