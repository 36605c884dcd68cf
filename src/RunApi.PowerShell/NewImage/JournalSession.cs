using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Threading.Tasks;
using RunApi.Client.Batches;
using RunApi.Client.Downloads;
using RunApi.Client.Journal;
using RunApi.Client.Models;

namespace RunApi.PowerShell.NewImage
{
    /// <summary>
    /// New-ImagenImage's journal for one call: opened for this command alone (under -WhatIf only read, so that nothing is
    /// written), the plan that matches this run's rows to the journal's, and which inputs come from an earlier run.
    /// </summary>
    internal sealed class JournalSession : IDisposable
    {
        private readonly JournalPlan _plan;
        private readonly HashSet<BatchInput> _resumed = new HashSet<BatchInput>();

        private JournalSession(string path, BatchJournal? writer, JournalPlan plan)
        {
            Path = path;
            Writer = writer;
            _plan = plan;
        }

        public string Path { get; }

        /// <summary>Where the batch records its rows; null under -WhatIf.</summary>
        public BatchJournal? Writer { get; }

        /// <param name="origin">The API origin of this call; under -WhatIf, null when no key or base URI is set.</param>
        /// <exception cref="JournalException">The journal cannot be used: in use, of another origin, not a journal...</exception>
        public static JournalSession Open(string path, bool whatIf, string? origin, string moduleVersion)
        {
            if (whatIf)
            {
                var rows = File.Exists(path) ? JournalFile.Read(path, origin) : new Dictionary<int, JournalRow>();
                return new JournalSession(path, null, new JournalPlan(path, rows));
            }
            var writer = BatchJournal.Open(path, moduleVersion, origin);
            return new JournalSession(path, writer, new JournalPlan(path, writer.Rows));
        }

        /// <inheritdoc cref="JournalPlan.ActionFor"/>
        public RowAction ActionFor(int row, string input, bool saving) => _plan.ActionFor(row, input, saving);

        public JournalRow? Row(int row) => _plan.Row(row);

        /// <summary>
        /// Ties the input to its journal row. A create whose body is known now (no file to upload first) has its
        /// accepted line begun at once, so that its flush to disk overlaps the wait for a create place.
        /// </summary>
        public BatchInput Journalled(BatchInput input, int row, string request)
        {
            if (Writer is null) return input;
            input.JournalRow = row;
            input.JournalInput = request;
            if (input.Entry == BatchEntry.Create && !(input.Request is RemixImageRequest remix && SourceImages.HasStandIns(remix.SourceImageUrls)))
            {
                // Awaited by the create; observed here too, for a row a stop keeps from its create.
                _ = Writer.Accept(input).ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            }
            return input;
        }

        /// <summary>The input carries on a task (or a create) an earlier run paid for.</summary>
        public void MarkResumed(BatchInput input) => _resumed.Add(input);

        public bool IsResumed(BatchInput input) => _resumed.Contains(input);

        public void Forget(BatchInput input) => _resumed.Remove(input);

        /// <summary>With a journal, every object says whether it came from an earlier run (Resumed).</summary>
        public object Marked(object output, bool resumed)
        {
            var wrapped = PSObject.AsPSObject(output);
            wrapped.Properties.Add(new PSNoteProperty("Resumed", resumed));
            return wrapped;
        }

        /// <summary>
        /// A resumed image whose file is already there under its name: a run killed between saving the file and
        /// journalling it. The file is this image; it is journalled now, and true.
        /// </summary>
        public bool TakeSavedBefore(BatchInput input, BatchFailure failure, out string path)
        {
            path = (failure.Error as DestinationExistsException)?.Path ?? string.Empty;
            if (Writer is null || !IsResumed(input) || failure.Stage != BatchStage.Save || failure.ImageIndex is not { } index || path.Length == 0)
            {
                return false;
            }
            ((IBatchJournal)Writer).Saved(input, index, path);
            return true;
        }

        public void Dispose() => Writer?.Dispose();
    }
}
