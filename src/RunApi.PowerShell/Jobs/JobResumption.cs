using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Text.Json;
using RunApi.Client.Jobs;
using RunApi.Client.Journal;
using RunApi.PowerShell.Errors;

namespace RunApi.PowerShell.Jobs
{
    /// <summary>The New-ImagenImage command that finishes a job: the job's own settings, its journal, and what the resume adds.</summary>
    internal static class JobResumption
    {
        /// <summary>The settings a resume takes from the job: how rows are made, saved and waited for. Not its budget or time box, which are the resume's own.</summary>
        private static readonly string[] FromJob =
        {
            "OutputResolution", "OutputFormat", "CallbackUri", "TimeoutSec", "Force", "NoMetadata", "FileNameTemplate", "MaxImageSizeMB",
            "ThrottleLimit", "MaxRetries",
        };

        /// <summary>The common parameters the resume passes on, as given to it.</summary>
        private static readonly string[] Passed = { "WhatIf", "Confirm", "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction" };

        public static Hashtable Parameters(JobView job, IDictionary<string, object> bound, Uri? baseUri, SecureString? apiKey, decimal? maxCostUsd, int? maxRetries)
        {
            var record = job.Record;
            var parameters = new Hashtable(StringComparer.OrdinalIgnoreCase) { ["JournalPath"] = job.Folder.JournalPath };
            if (record.Goal == JobGoals.Save) parameters["OutputDirectory"] = record.OutputDirectory;
            else if (record.Goal == JobGoals.Complete) parameters["Wait"] = true;
            foreach (var name in FromJob)
            {
                if (record.Settings.TryGetValue(name, out var value) && Value(value) is { } given) parameters[name] = given;
            }
            var origin = baseUri?.OriginalString ?? record.BaseUri;
            if (origin is not null) parameters["BaseUri"] = origin;
            if (apiKey is not null) parameters["ApiKey"] = apiKey;
            if (maxCostUsd is not null) parameters["MaxCostUsd"] = maxCostUsd;
            if (maxRetries is not null) parameters["MaxRetries"] = maxRetries;
            foreach (var name in Passed)
            {
                if (bound.TryGetValue(name, out var value)) parameters[name] = value;
            }
            return parameters;
        }

        private static object? Value(JsonElement value)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String: return value.GetString();
                case JsonValueKind.Number: return value.TryGetInt32(out var i) ? i : (object)value.GetDecimal();
                case JsonValueKind.True: return new SwitchParameter(true);
                case JsonValueKind.False: return null;
                case JsonValueKind.Array: return value.EnumerateArray().Select(v => v.GetString()).ToArray();
                default: return null;
            }
        }

        /// <summary>What to do about rows the job never read: only its input has them.</summary>
        public static string InputNotEnded(JobView job, int rows)
        {
            var save = job.Record.Goal == JobGoals.Save && job.Record.OutputDirectory is { } folder
                ? $" -OutputDirectory {DisplayText.Quoted(folder)}" : job.Record.Goal == JobGoals.Complete ? " -Wait" : string.Empty;
            return $"Job {job.Record.Id} was stopped before its command had read all its input: it knows {rows} row(s). If the input " +
                   $"had more, pipe all of it, with the options it had, to New-ImagenImage{save} -JournalPath {DisplayText.Quoted(job.Folder.JournalPath)}: " +
                   "the rows the job has are matched and not paid again, and the rest are sent.";
        }
    }
}
