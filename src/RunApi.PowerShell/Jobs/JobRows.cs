using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using RunApi.Client.Journal;

namespace RunApi.PowerShell.Jobs
{
    /// <summary>
    /// A job's rows as the objects New-ImagenImage binds (Prompt, Model, AspectRatio, NegativePrompt, Seed, SourceImage),
    /// rebuilt from the requests its journal holds, in input order: what Resume-ImagenJob pipes instead of the input file.
    /// Each builds the very request its journal row was made from, so the row is matched, not sent again.
    /// </summary>
    internal static class JobRows
    {
        private const string StandInPrefix = "https://upload.invalid/";

        /// <summary>One object per row from 0 to the last: a row the journal lacks (never planned) is an empty prompt, which a resume passes over.</summary>
        public static IEnumerable<PSObject> From(IReadOnlyDictionary<int, JournalRow> rows)
        {
            var last = rows.Count == 0 ? -1 : rows.Keys.Max();
            for (var i = 0; i <= last; i++)
            {
                if (!rows.TryGetValue(i, out var row) || row.Input is null)
                {
                    yield return Row(row?.RefusedPrompt ?? string.Empty);
                    continue;
                }
                yield return FromInput(row.Input);
            }
        }

        private static PSObject Row(string prompt)
        {
            var item = new PSObject();
            item.Properties.Add(new PSNoteProperty("Prompt", prompt));
            return item;
        }

        private static PSObject FromInput(string input)
        {
            using var json = JsonDocument.Parse(input);
            var root = json.RootElement;
            var item = Row(Text(root, "prompt") ?? string.Empty);
            Add(item, "Model", Text(root, "model"));
            Add(item, "AspectRatio", Text(root, "aspect_ratio"));
            Add(item, "NegativePrompt", Text(root, "negative_prompt"));
            if (root.TryGetProperty("seed", out var seed) && seed.TryGetInt64(out var value)) Add(item, "Seed", value);
            if (root.TryGetProperty("source_image_urls", out var urls) && urls.ValueKind == JsonValueKind.Array)
            {
                Add(item, "SourceImage", urls.EnumerateArray().Select(u => LocalOrUrl(u.GetString() ?? string.Empty)).ToArray());
            }
            return item;
        }

        /// <summary>
        /// A local file stands in a request as a URL that names its full path: the file again, so that it is uploaded if
        /// the row is sent. A file that is gone stays the stand-in: the row still matches its journal row, and only a row
        /// that must be sent again needs its file.
        /// </summary>
        private static string LocalOrUrl(string url)
        {
            if (!url.StartsWith(StandInPrefix, StringComparison.Ordinal)) return url;
            var path = Uri.UnescapeDataString(url.Substring(StandInPrefix.Length));
            return File.Exists(path) ? path : url;
        }

        private static string? Text(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static void Add(PSObject item, string name, object? value)
        {
            if (value is not null) item.Properties.Add(new PSNoteProperty(name, value));
        }
    }
}
