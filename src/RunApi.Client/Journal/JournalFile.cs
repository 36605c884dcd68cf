using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;

namespace RunApi.Client.Journal
{
    /// <summary>Reads a journal's lines into rows. A torn last line (a crash mid-write) is left out; any other bad line is not.</summary>
    internal static class JournalFile
    {
        internal static readonly JsonSerializerOptions Json = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        };

        /// <summary>
        /// The rows of the journal at <paramref name="path"/>, readable while a batch is writing it. With an
        /// <paramref name="origin"/>, a journal made on another API origin is refused (its tasks are not there).
        /// </summary>
        public static IReadOnlyDictionary<int, JournalRow> Read(string path, string? origin = null)
        {
            if (!File.Exists(path)) throw new JournalException(JournalProblem.NotFound, $"There is no journal at '{path}'.");
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return Read(stream, path, origin);
        }

        /// <summary>The origin a journal records: scheme, host and port, never user information.</summary>
        public static string OriginOf(Uri baseUri) => baseUri.Scheme + "://" + baseUri.Authority;

        internal static IReadOnlyDictionary<int, JournalRow> Read(Stream stream, string path, string? origin = null)
        {
            var rows = new SortedDictionary<int, JournalRow>();
            var lines = ReadLines(stream);
            for (var i = 0; i < lines.Count; i++)
            {
                var text = lines[i].Text;
                JournalRecord? record;
                try
                {
                    record = JsonSerializer.Deserialize<JournalRecord>(text, Json);
                }
                catch (JsonException ex)
                {
                    // Only the last line can have been cut by a crash: lines are written whole, one after the other.
                    if (i == lines.Count - 1 && i > 0) break;
                    throw i == 0 ? NotOurs(path) : Unreadable(path, i, ex);
                }
                if (i == 0)
                {
                    CheckHeader(record, path, origin);
                    continue;
                }
                if (record?.Row is not { } row || row < 0) throw Unreadable(path, i, null);
                if (!rows.TryGetValue(row, out var state)) rows[row] = state = new JournalRow(row);
                state.Apply(record);
            }
            return rows; // an empty file is a journal not yet begun
        }

        private static void CheckHeader(JournalRecord? header, string path, string? origin)
        {
            if (header is null || header.Kind != JournalRecord.HeaderKind || header.Format is not { } format) throw NotOurs(path);
            if (format > JournalRecord.CurrentFormat)
            {
                throw new JournalException(JournalProblem.NewerFormat,
                    $"The journal '{path}' is in format {format}, written by RunApi {header.Module}; this RunApi reads format " +
                    $"{JournalRecord.CurrentFormat} and older.");
            }
            // A journal of an earlier version names no origin: it is taken as it is.
            if (origin is not null && header.Origin is { } made && !string.Equals(made, origin, StringComparison.OrdinalIgnoreCase))
            {
                throw new JournalException(JournalProblem.OtherOrigin,
                    $"The journal '{path}' was made against {made}, and this command uses {origin}: its tasks are not there, " +
                    "and nothing was sent.");
            }
        }

        private static JournalException NotOurs(string path) =>
            new JournalException(JournalProblem.NotAJournal,
                $"'{path}' is not a RunApi batch journal.");

        private static JournalException Unreadable(string path, int line, Exception? inner) =>
            new JournalException(JournalProblem.Damaged,
                $"Line {line + 1} of the journal '{path}' cannot be read, and it is not the last line, so the journal was changed " +
                "after it was written. Restore it, or start the batch with a new journal.", inner);

        /// <summary>The lines, each with whether it ended with a newline.</summary>
        private static List<(string Text, bool Complete)> ReadLines(Stream stream)
        {
            var lines = new List<(string, bool)>();
            using var reader = new StreamReader(stream, new UTF8Encoding(false), false, 4096, leaveOpen: true);
            var all = reader.ReadToEnd();
            var start = 0;
            while (start < all.Length)
            {
                var end = all.IndexOf('\n', start);
                if (end < 0)
                {
                    lines.Add((all.Substring(start), false));
                    break;
                }
                var line = all.Substring(start, end - start).TrimEnd('\r');
                if (line.Length > 0) lines.Add((line, true));
                start = end + 1;
            }
            return lines;
        }
    }
}
