using System.Linq;

namespace RunApi.Client.Models
{
    /// <summary>
    /// What a task id may be: one path segment of the task URL. "." and ".." would take the GET to another path, and
    /// a slash, backslash or control character would make the id mean a different URL than it says.
    /// </summary>
    internal static class TaskIds
    {
        public const int MaxLength = 256;

        /// <summary>The rule, for messages.</summary>
        public const string Rule = "a task id is one URL path segment: not '.' or '..', no slash, backslash, '?', '#' or blank";

        public static bool IsSafe(string? id) =>
            !string.IsNullOrEmpty(id) && id!.Length <= MaxLength && id.Trim('.').Length > 0 &&
            !id.Any(c => c == '/' || c == '\\' || c == '?' || c == '#' || char.IsControl(c) || char.IsWhiteSpace(c));
    }
}
