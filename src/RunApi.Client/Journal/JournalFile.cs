using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using RunApi.Client.Jobs;

namespace RunApi.Client.Journal
{
    /// <summary>What a journal holds: its rows (with their requests), and the tally of its job.</summary>
    internal sealed class JournalContent
    {
        public JournalContent(IReadOnlyDictionary<int, JournalRow> rows, JobTally tally, long length)
        {
            Rows = rows;
            Tally = tally;
            Length = length;
        }

        public IReadOnlyDictionary<int, JournalRow> Rows { get; }
        public JobTally Tally { get; }

        /// <summary>The bytes read: the journal's length when it was read.</summary>
        public long Length { get; }
    }

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
        public static IReadOnlyDictionary<int, JournalRow> Read(string path, string? origin = null) => ReadAll(path, origin).Rows;

        /// <summary>The rows and the tally of the journal at <paramref name="path"/>.</summary>
        public static JournalContent ReadAll(string path, string? origin = null, bool withRows = true)
        {
            if (!File.Exists(path)) throw new JournalException(JournalProblem.NotFound, $"There is no journal at '{path}'.");
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return ReadAll(stream, path, origin, withRows);
        }

        /// <summary>The origin a journal records: scheme, host and port, never user information.</summary>
        public static string OriginOf(Uri baseUri) => baseUri.Scheme + "://" + baseUri.Authority;

        /// <param name="withRows">False to fold only the tally (listing jobs), keeping no request in memory.</param>
        internal static JournalContent ReadAll(Stream stream, string path, string? origin = null, bool withRows = true)
        {
            var rows = new SortedDictionary<int, JournalRow>();
            var tally = new JobTally();
            var index = 0;
            var length = 0L;
            using var reader = new StreamReader(stream, new UTF8Encoding(false), false, 1 << 16, leaveOpen: true);
            string? line = NextLine(reader, ref length);
            while (line is not null)
            {
                var next = NextLine(reader, ref length);
                var text = line.TrimEnd('\r');
                if (text.Length == 0)
                {
                    line = next;
                    continue;
                }
                JournalRecord? record;
                try
                {
                    record = JsonSerializer.Deserialize<JournalRecord>(text, Json);
                }
                catch (JsonException ex)
                {
                    // Only the last line can have been cut by a crash: lines are written whole, one after the other.
                    if (next is null && index > 0) break;
                    throw index == 0 ? NotOurs(path) : Unreadable(path, index, ex);
                }
                if (index++ == 0)
                {
                    CheckHeader(record, path, origin);
                    tally.Apply(record!);
                    line = next;
                    continue;
                }
                if (record is null) throw Unreadable(path, index - 1, null);
                if (record.Row is not { } row || row < 0)
                {
                    // Lines of the job (run, end) have no row; so may kinds a later format 2 adds. A row line without one is damage.
                    if (IsRowKind(record.Kind) || record.Row is < 0) throw Unreadable(path, index - 1, null);
                    tally.Apply(record);
                    line = next;
                    continue;
                }
                tally.Apply(record);
                if (withRows)
                {
                    if (!rows.TryGetValue(row, out var state)) rows[row] = state = new JournalRow(row);
                    state.Apply(record);
                }
                line = next;
            }
            return new JournalContent(rows, tally, stream.CanSeek ? stream.Length : length); // an empty file is a journal not yet begun
        }

        private static bool IsRowKind(string kind) =>
            kind == JournalRecord.Accepted || kind == JournalRecord.Created || kind == JournalRecord.Completed || kind == JournalRecord.Saved ||
            kind == JournalRecord.Failed || kind == JournalRecord.NotSent || kind == JournalRecord.Refused;

        /// <summary>The next line without its newline; a last line without one is returned too (it may be torn).</summary>
        private static string? NextLine(StreamReader reader, ref long length)
        {
            var line = reader.ReadLine();
            if (line is not null) length += Encoding.UTF8.GetByteCount(line) + 1;
            return line;
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

        /// <summary>The job a journal's header names, if the file is a journal that names one.</summary>
        public static string? JobIdOf(string path)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream);
                var first = reader.ReadLine();
                if (string.IsNullOrWhiteSpace(first)) return null;
                var header = JsonSerializer.Deserialize<JournalRecord>(first!, Json);
                return header?.Kind == JournalRecord.HeaderKind && JobStore.IsId(header.Job) ? header.Job!.ToLowerInvariant() : null;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is JsonException)
            {
                return null; // no journal yet, or not one: opening it says so
            }
        }

        private static JournalException NotOurs(string path) =>
            new JournalException(JournalProblem.NotAJournal,
                $"'{path}' is not a RunApi batch journal.");

        private static JournalException Unreadable(string path, int line, Exception? inner) =>
            new JournalException(JournalProblem.Damaged,
                $"Line {line + 1} of the journal '{path}' cannot be read, and it is not the last line, so the journal was changed " +
                "after it was written. Restore it, or start the batch with a new journal.", inner);
    }
}
