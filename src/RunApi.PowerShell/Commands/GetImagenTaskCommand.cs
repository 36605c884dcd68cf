using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using RunApi.Client.Batches;
using RunApi.Client.Journal;
using RunApi.Client.Models;
using RunApi.PowerShell.Cmdlets;
using RunApi.PowerShell.Errors;

namespace RunApi.PowerShell.Commands
{
    /// <summary>Gets the current state of tasks, once each, without waiting; or the tasks of a batch's journal.</summary>
    [Cmdlet(VerbsCommon.Get, "ImagenTask", DefaultParameterSetName = TaskSet)]
    [OutputType(typeof(ImagenTask))]
    public sealed class GetImagenTaskCommand : TaskCmdlet
    {
        private const string JournalSet = "Journal";

        // The journal's rows of the tasks being looked up, to add to what the lookup returns.
        private readonly Dictionary<BatchInput, JournalRow> _journalRows = new Dictionary<BatchInput, JournalRow>();

        /// <summary>A journal written by New-ImagenImage -JournalPath: its tasks, with their prompts and files.</summary>
        [Parameter(Mandatory = true, ParameterSetName = JournalSet)]
        [ValidateNotNullOrEmpty]
        public string? JournalPath { get; set; }

        /// <summary>With -JournalPath: what the journal knows, without asking RunAPI.</summary>
        [Parameter(ParameterSetName = JournalSet)]
        public SwitchParameter Offline { get; set; }

        internal override BatchSettings BatchSettingsFor() => new BatchSettings { LookLimit = ThrottleLimit };

        private protected override BatchInput InputFor(string taskId, TaskEndpoint endpoint, ImagenTask? known) =>
            BatchInput.ToLook(endpoint, taskId, known);

        protected override void ProcessRecord()
        {
            if (ParameterSetName != JournalSet)
            {
                base.ProcessRecord();
                return;
            }
            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(JournalPath);
            IReadOnlyDictionary<int, JournalRow> rows;
            try
            {
                // Asking RunAPI about the rows: only where their tasks were made (offline, any origin will do).
                rows = JournalFile.Read(path, Offline ? null : JournalFile.OriginOf(Client.Settings.BaseUri));
            }
            catch (JournalException ex)
            {
                ThrowTerminatingError(ErrorRecords.From(ex, path));
                return;
            }
            foreach (var row in rows.Values)
            {
                var known = Known(row);
                if (known is null)
                {
                    if (row.CreateMayExist)
                    {
                        WriteWarning($"Row {row.Row} ('{DisplayText.Shorten(Field(row, "prompt"))}'): its create was sent and no answer was " +
                                     "recorded, so a task may exist. Run the batch again with this journal to resume it without paying twice.");
                    }
                    continue;
                }
                if (Offline)
                {
                    WriteObject(WithJournal(known, row));
                    continue;
                }
                TaskEndpoint.TryParse(known.Endpoint, out var endpoint);
                var input = InputFor(known.TaskId, endpoint, known);
                _journalRows[input] = row;
                Submit(input);
            }
        }

        internal override void OnLooked(BatchInput input)
        {
            var task = TaskOf(input);
            WriteObject(_journalRows.TryGetValue(input, out var row) ? WithJournal(task, row) : task);
        }

        internal override void OnEnded(BatchInput input) => _journalRows.Remove(input);

        internal override void OnFailed(BatchInput input, BatchFailure failure) =>
            WriteError(ErrorRecords.From(failure.Error, TargetOf(input)));

        /// <summary>The task a row made, as the journal last saw it; null when the row made none.</summary>
        private static ImagenTask? Known(JournalRow row)
        {
            if (row.TaskId is null || row.Input is null) return null;
            var ask = new TaskAsk(Field(row, "model"), Field(row, "prompt"), Field(row, "negative_prompt"), Field(row, "aspect_ratio"), Number(row, "seed"));
            return ImagenTask.FromJournal(row.TaskId, row.Endpoint ?? TaskEndpoint.TextToImage.Name, ask,
                row.Status ?? "processing", row.Images ?? (IReadOnlyList<string>)Array.Empty<string>(), row.Failure?.Error,
                row.AcceptedAt, row.Replayed, row.IdempotencyKey,
                row.Facts.ChargedUsd is { } usd && row.Facts.ChargeSource is { } source ? new TaskCharge(usd, source) : null);
        }

        /// <summary>The journal's own facts: the row, and the files saved from the task.</summary>
        private static PSObject WithJournal(ImagenTask task, JournalRow row)
        {
            var wrapped = PSObject.AsPSObject(task);
            wrapped.Properties.Add(new PSNoteProperty("Row", row.Row));
            wrapped.Properties.Add(new PSNoteProperty("Files", row.Saved.OrderBy(s => s.Key).Select(s => s.Value).ToArray()));
            return wrapped;
        }

        private static long? Number(JournalRow row, string name)
        {
            if (row.Input is null) return null;
            using var input = JsonDocument.Parse(row.Input);
            return input.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : (long?)null;
        }

        private static string? Field(JournalRow row, string name)
        {
            if (row.Input is null) return null;
            using var input = JsonDocument.Parse(row.Input);
            return input.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
    }
}
