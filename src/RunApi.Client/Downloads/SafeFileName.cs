using System;
using System.Linq;
using System.Text;

namespace RunApi.Client.Downloads
{
    /// <summary>
    /// Makes text from the service (task ids) safe as a file name on every platform: no separators or traversal,
    /// no characters Windows refuses, no reserved device names, no leading dots, a bounded length.
    /// </summary>
    public static class SafeFileName
    {
        private const int MaxLength = 120;

        private static readonly string[] ReservedNames =
            new[] { "CON", "PRN", "AUX", "NUL" }
                .Concat(Enumerable.Range(1, 9).SelectMany(i => new[] { "COM" + i, "LPT" + i }))
                .ToArray();

        public static string From(string? text)
        {
            var builder = new StringBuilder();
            foreach (var c in text ?? string.Empty)
            {
                var allowed = char.IsLetterOrDigit(c) || c == '-' || c == '_' || c == '.';
                builder.Append(allowed && c < 0x80 ? c : '_');
            }
            var name = builder.ToString().Trim('.', ' ');
            if (name.Length > MaxLength) name = name.Substring(0, MaxLength);
            if (name.Length == 0) name = "image";
            var stem = name.Split('.')[0];
            if (ReservedNames.Contains(stem, StringComparer.OrdinalIgnoreCase)) name = "_" + name;
            return name;
        }
    }
}
