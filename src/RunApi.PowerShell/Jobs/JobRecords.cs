using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Text.Json;
using RunApi.Client.Jobs;
using RunApi.PowerShell.Errors;

namespace RunApi.PowerShell.Jobs
{
    /// <summary>The record of a job New-ImagenImage begins: its name, and its settings as given, without the key.</summary>
    internal static class JobRecords
    {
        /// <summary>
        /// The parameters a job records, when given on the command line: all of New-ImagenImage's own but the prompt (its
        /// rows are in the journal) and the key, which is never written anywhere.
        /// </summary>
        private static readonly string[] Recorded =
        {
            "Model", "AspectRatio", "NegativePrompt", "Seed", "SourceImage", "OutputResolution", "OutputFormat", "CallbackUri",
            "IdempotencyKey", "Wait", "OutputDirectory", "TimeoutSec", "Force", "NoMetadata", "MaxCostUsd", "FileNameTemplate",
            "MaxImageSizeMB", "ThrottleLimit", "JournalPath", "MaxRetries", "BaseUri", "MaxDuration", "JobName",
        };

        /// <param name="given">The parameters given on the command line, by name, with their values.</param>
        /// <param name="resolved">Values to record instead of the ones given: full paths, the base URI in force.</param>
        public static JobRecord For(string? jobName, string goal, Uri? baseUri, string? outputDirectory, string moduleVersion,
            IDictionary<string, object?> given, IDictionary<string, object?> resolved, string source, DateTimeOffset now)
        {
            var record = new JobRecord
            {
                Name = string.IsNullOrWhiteSpace(jobName) ? DefaultName(now, source) : jobName!.Trim(),
                CreatedAt = now,
                Module = moduleVersion,
                Command = "New-ImagenImage",
                Goal = goal,
                Origin = baseUri is null ? null : Client.Journal.JournalFile.OriginOf(baseUri),
                BaseUri = baseUri is null ? null : WithoutUserInfo(baseUri),
                OutputDirectory = outputDirectory,
            };
            foreach (var name in Recorded)
            {
                var value = resolved.TryGetValue(name, out var r) ? r : given.TryGetValue(name, out var g) ? g : null;
                if (value is null) continue;
                if (Setting(value) is { } setting) record.Settings[name] = setting;
            }
            return record;
        }

        /// <summary>The time and what the input was: "2026-05-14 02:10 Import-Csv ./prompts.csv", or the first prompt.</summary>
        public static string DefaultName(DateTimeOffset now, string source) =>
            now.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + DisplayText.Shorten(source);

        /// <summary>
        /// The command that feeds this one, as typed on its line (Import-Csv ./prompts.csv), or null when nothing is
        /// piped in on the same line.
        /// </summary>
        public static string? Upstream(InvocationInfo invocation)
        {
            if (!invocation.ExpectingInput || string.IsNullOrEmpty(invocation.Line) || invocation.OffsetInLine < 2) return null;
            var before = invocation.Line.Substring(0, Math.Min(invocation.Line.Length, invocation.OffsetInLine - 1)).TrimEnd();
            if (!before.EndsWith("|", StringComparison.Ordinal)) return null;
            var first = before.Split('|')[0].Trim();
            var statement = first.LastIndexOf(';');
            if (statement >= 0) first = first.Substring(statement + 1).Trim();
            if (first.StartsWith("$", StringComparison.Ordinal) && first.IndexOf('=') > 0) first = first.Substring(first.IndexOf('=') + 1).Trim();
            return first.Length == 0 ? null : first;
        }

        private static string WithoutUserInfo(Uri uri) =>
            uri.UserInfo.Length == 0 ? uri.AbsoluteUri : new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri.AbsoluteUri;

        /// <summary>A value as JSON: text, a number, true or false, or a list of texts. A secret is never one.</summary>
        private static JsonElement? Setting(object value)
        {
            value = value is PSObject wrapped ? wrapped.BaseObject : value;
            switch (value)
            {
                case SecureString _:
                    return null;
                case SwitchParameter flag:
                    return JsonSerializer.SerializeToElement(flag.IsPresent);
                case bool b:
                    return JsonSerializer.SerializeToElement(b);
                case int or long or decimal or double:
                    return JsonSerializer.SerializeToElement(Convert.ToDecimal(value, CultureInfo.InvariantCulture));
                case TimeSpan span:
                    return JsonSerializer.SerializeToElement(span.ToString("c", CultureInfo.InvariantCulture));
                case Uri uri:
                    return JsonSerializer.SerializeToElement(uri.UserInfo.Length == 0 ? uri.OriginalString : WithoutUserInfo(uri));
                case string text:
                    return JsonSerializer.SerializeToElement(text);
                case IEnumerable items:
                    return JsonSerializer.SerializeToElement(items.Cast<object?>().Select(i => Convert.ToString(i is PSObject p ? p.BaseObject : i, CultureInfo.InvariantCulture)).ToArray());
                default:
                    return JsonSerializer.SerializeToElement(Convert.ToString(value, CultureInfo.InvariantCulture));
            }
        }
    }
}
