using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using RunApi.Client.Journal;
using RunApi.Client.Models;

namespace RunApi.PowerShell.NewImage
{
    /// <summary>What a run does with one input row, given what the journal knows of it.</summary>
    internal enum RowAction
    {
        /// <summary>Not in the journal, or failed for good last time: a create with a new key.</summary>
        Send,

        /// <summary>A create was sent and never answered: sent again with the same key and body (a replay).</summary>
        Replay,

        /// <summary>The row has a task: waited for and saved as if just created, without a create.</summary>
        Attach,

        /// <summary>Every image of the row is saved and still on disk: its files are written again.</summary>
        Done,
    }

    /// <summary>
    /// The rows of a journal from earlier runs, and the rule that matches this run's rows to them: by index and by
    /// content (the request as built), so that a journal of another command is refused, never mixed in.
    /// </summary>
    internal sealed class JournalPlan
    {
        private readonly string _path;
        private readonly IReadOnlyDictionary<int, JournalRow> _rows;

        public JournalPlan(string path, IReadOnlyDictionary<int, JournalRow> rows)
        {
            _path = path;
            _rows = rows;
        }

        public JournalRow? Row(int index) => _rows.TryGetValue(index, out var row) ? row : null;

        /// <exception cref="JournalException">The journal's row was made from other input (<see cref="JournalProblem.Mismatch"/>).</exception>
        public RowAction ActionFor(int index, string input, bool saving)
        {
            var row = Row(index);
            if (row?.Input is null) return RowAction.Send;
            var differences = Differences(row.Input, input);
            if (differences.Count > 0)
            {
                throw new JournalException(JournalProblem.Mismatch,
                    $"Row {index} of the journal '{_path}' was made from other input ({string.Join("; ", differences)}), so the journal " +
                    "belongs to another batch and nothing was sent for this row or any later one. Give the same input and options to " +
                    "resume that batch, or a new -JournalPath for this one.");
            }
            if (row.FailedForGood || row.Facts.NotSent) return RowAction.Send;
            if (row.TaskId is null) return RowAction.Replay;
            if (saving && row.Images is { Count: > 0 } images &&
                Enumerable.Range(0, images.Count).All(i => row.Saved.TryGetValue(i, out var file) && File.Exists(file)))
            {
                return RowAction.Done;
            }
            return RowAction.Attach;
        }

        /// <summary>The create the journal recorded for the row, rebuilt on the row's request (uploaded sources included).</summary>
        public static CreatedTask CreatedFrom(JournalRow row, CreateTaskRequest request) =>
            new CreatedTask(WithSentSources(row, request),
                new CreateTaskResponse { Id = row.TaskId!, Status = row.Status ?? "processing", TaskReplayed = row.Replayed },
                row.IdempotencyKey!, row.AcceptedAt ?? DateTimeOffset.UtcNow);

        /// <summary>
        /// A remix request gets the source URLs that were sent (its local files were uploaded then), so that sending it
        /// again with the same key is the same request, which RunAPI replays.
        /// </summary>
        public static CreateTaskRequest WithSentSources(JournalRow row, CreateTaskRequest request)
        {
            if (request is not RemixImageRequest remix || row.Body is null) return request;
            using var body = JsonDocument.Parse(row.Body);
            if (body.RootElement.TryGetProperty("source_image_urls", out var urls) && urls.ValueKind == JsonValueKind.Array)
            {
                remix.UseSourceImages(urls.EnumerateArray().Select(u => u.GetString() ?? string.Empty).ToList());
            }
            return request;
        }

        /// <summary>The fields whose values differ, described for the user.</summary>
        private static List<string> Differences(string journalled, string current)
        {
            using var was = JsonDocument.Parse(journalled);
            using var now = JsonDocument.Parse(current);
            var before = Fields(was.RootElement);
            var after = Fields(now.RootElement);
            var differences = new List<string>();
            foreach (var name in before.Keys.Union(after.Keys).OrderBy(n => n, StringComparer.Ordinal))
            {
                before.TryGetValue(name, out var a);
                after.TryGetValue(name, out var b);
                if (a == b) continue;
                differences.Add(name == "prompt" ? $"prompt '{Short(a)}' there, '{Short(b)}' here" : $"{name} {a ?? "not set"} there, {b ?? "not set"} here");
            }
            return differences;
        }

        private static Dictionary<string, string> Fields(JsonElement element) =>
            element.EnumerateObject().ToDictionary(p => p.Name, p => Text(p.Value), StringComparer.Ordinal);

        private static string Text(JsonElement value) =>
            value.ValueKind == JsonValueKind.String ? value.GetString()!
            : value.ValueKind == JsonValueKind.Array ? string.Join(", ", value.EnumerateArray().Select(Text))
            : value.GetRawText();

        private static string Short(string? text)
        {
            var flat = (text ?? string.Empty).Replace('\r', ' ').Replace('\n', ' ');
            return flat.Length <= 40 ? flat : flat.Substring(0, 37) + "...";
        }
    }
}
