using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace RunApi.Client.Downloads
{
    /// <summary>
    /// Makes text from the service (task ids) safe as a file name on every platform: no separators or traversal,
    /// no characters Windows refuses, no reserved device names, no leading dots, a bounded length. Distinct texts
    /// always give distinct names: a name that had to be changed (a character replaced, the length cut) ends with a
    /// short hash of the original, so "x:y" and "x_y", or two long ids that differ only at the end, never meet.
    /// </summary>
    internal static class SafeFileName
    {
        private const int MaxLength = 120;

        private static readonly string[] ReservedNames =
            new[] { "CON", "PRN", "AUX", "NUL" }
                .Concat(Enumerable.Range(1, 9).SelectMany(i => new[] { "COM" + i, "LPT" + i }))
                .ToArray();

        public static string From(string? text)
        {
            var original = text ?? string.Empty;
            var builder = new StringBuilder();
            foreach (var c in original)
            {
                var allowed = char.IsLetterOrDigit(c) || c == '-' || c == '_' || c == '.';
                builder.Append(allowed && c < 0x80 ? c : '_');
            }
            var name = builder.ToString().Trim('.', ' ');
            var stem = name.Split('.')[0];
            if (ReservedNames.Contains(stem, StringComparer.OrdinalIgnoreCase)) name = "_" + name;
            if (name == original && name.Length <= MaxLength) return name;
            return WithSuffix(name.Length == 0 ? "image" : name, original);
        }

        /// <summary>
        /// <paramref name="name"/> (already safe) with a short hash of <paramref name="distinguishing"/> at its end, cut so
        /// the whole stays within the length limit: for names that must differ because what they hold differs.
        /// </summary>
        public static string WithSuffix(string name, string distinguishing)
        {
            var hash = Hash(distinguishing);
            var room = MaxLength - hash.Length - 1;
            return (name.Length > room ? name.Substring(0, room) : name) + "-" + hash;
        }

        private static string Hash(string text)
        {
            using var sha = SHA256.Create();
            var digest = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
            return string.Concat(digest.Take(4).Select(b => b.ToString("x2")));
        }
    }
}
