using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;
using RunApi.Client.Journal;

namespace RunApi.Client.Jobs
{
    /// <summary>
    /// job.json: what a job is, written once when it begins: its id and name, where its journal and output folder are,
    /// and the settings of the command that made it, without the key (no parameter that holds a secret is recorded).
    /// What became of its rows is in the journal, and summed up in summary.json.
    /// </summary>
    internal sealed class JobRecord
    {
        public const string FileName = "job.json";
        public const int CurrentFormat = 1;

        [JsonPropertyName("format")] public int Format { get; set; } = CurrentFormat;
        [JsonPropertyName("id")] public string Id { get; set; } = string.Empty;
        [JsonPropertyName("name")] public string Name { get; set; } = string.Empty;
        [JsonPropertyName("createdAt")] public DateTimeOffset CreatedAt { get; set; }
        [JsonPropertyName("module")] public string? Module { get; set; }

        /// <summary>The command that made the job (New-ImagenImage).</summary>
        [JsonPropertyName("command")] public string? Command { get; set; }

        /// <summary>The API origin (scheme, host, port) and base URI, never with user information.</summary>
        [JsonPropertyName("origin")] public string? Origin { get; set; }
        [JsonPropertyName("baseUri")] public string? BaseUri { get; set; }

        /// <summary>create, complete or save.</summary>
        [JsonPropertyName("goal")] public string Goal { get; set; } = RunApi.Client.Journal.JobGoals.Create;

        [JsonPropertyName("outputDirectory")] public string? OutputDirectory { get; set; }

        /// <summary>The journal's full path when the user chose it (-JournalPath); null when it is the job folder's own.</summary>
        [JsonPropertyName("journal")] public string? Journal { get; set; }

        /// <summary>The command's parameters as given (paths resolved): text, numbers, true or false, lists of text; never the key.</summary>
        [JsonPropertyName("settings")] public Dictionary<string, JsonElement> Settings { get; set; } = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);

        public static JobRecord? Read(string path)
        {
            try
            {
                var record = JsonSerializer.Deserialize<JobRecord>(File.ReadAllBytes(path), JournalFile.Json);
                return record is { Id.Length: > 0 } ? record : null;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is JsonException)
            {
                return null;
            }
        }

        public void Write(string path) => JobFiles.WriteAtomically(path, JsonSerializer.SerializeToUtf8Bytes(this, JournalFile.Json));
    }
}
