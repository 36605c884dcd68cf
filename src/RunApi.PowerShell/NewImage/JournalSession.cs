using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using RunApi.Client.Batches;
using RunApi.Client.Downloads;
using RunApi.Client.Errors;
using RunApi.Client.Jobs;
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

        private bool _ended;

        private JournalSession(string path, BatchJournal? writer, JournalPlan plan, JobFolder? job = null)
        {
            Path = path;
            Writer = writer;
            _plan = plan;
            Job = job;
        }

        public string Path { get; }

        /// <summary>The job this run writes; null under -WhatIf.</summary>
        public JobFolder? Job { get; private set; }

        /// <summary>For a run that reads no input of its own (Resume-ImagenJob): the job's input stays as it was.</summary>
        public bool ReadsInput { get; private set; } = true;

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

        /// <summary>
        /// Opens the journal of a job for this command alone: a new job's folder and journal, or, for a journal the user
        /// chose (-JournalPath), the job it belongs to (by the id in its header, or by its path), made if none is
        /// recorded. The journal is locked before any job folder is made, so a refused journal leaves none behind.
        /// </summary>
        /// <param name="journalPath">The user's -JournalPath (a full path), or null for the job folder's own journal.</param>
        /// <exception cref="JournalException">The journal cannot be used, or the job folder cannot be written.</exception>
        public static JournalSession OpenJob(JobStore store, JobRecord record, string? journalPath, string? origin, string moduleVersion, bool readsInput)
        {
            JobFolder? folder = null;
            string id;
            if (journalPath is null)
            {
                folder = store.Create(record);
                id = folder.Id;
                journalPath = folder.JournalPath;
            }
            else
            {
                var named = JournalFile.JobIdOf(journalPath);
                folder = store.FindByJournal(journalPath, named);
                id = folder?.Id ?? (named is not null && store.Find(named) is null ? named : JobStore.NewId());
            }
            var writing = new JobWriting(id, store.Folder(id).SummaryPath, record.Goal, readsInput ? false : (bool?)null);
            var writer = BatchJournal.Open(journalPath, moduleVersion, origin, job: writing);
            try
            {
                if (folder is null)
                {
                    record.Id = id;
                    record.Journal = journalPath;
                    folder = store.Adopt(record);
                    writer.SummarizeNow();
                }
            }
            catch
            {
                writer.Dispose();
                throw;
            }
            return new JournalSession(journalPath, writer, new JournalPlan(journalPath, writer.Rows), folder) { ReadsInput = readsInput };
        }

        /// <summary>A planned create not sent (declined, or kept back by a refused key); a failed row not retried stays failed.</summary>
        public void NotSent(PromptPlan plan, string reason, Exception? error = null)
        {
            if (!plan.Retry) NotSent(plan.Row, plan.Request!, plan.Input, reason, error);
        }

        /// <summary>A row read and planned, not sent: the job knows it, and a resume sends it.</summary>
        public void NotSent(int row, CreateTaskRequest request, string input, string reason, Exception? error = null) =>
            Writer?.NotSent(row, input, request.Endpoint.Name, request.PriceCents, reason, error is null ? null : ErrorIds.For(error));

        /// <summary>
        /// A row that was not sent: one the budget left out is NotSent (a resume sends it), one that could make no request
        /// (an invalid prompt, a second prompt for one -IdempotencyKey) is refused for good.
        /// </summary>
        public void Refused(PromptPlan plan, string prompt, Refusal refusal)
        {
            if (plan.Retry) return; // a failed row that the budget kept from being retried is still the failed row it was
            if (refusal.ByBudget && plan.Request is { } request) NotSent(plan.Row, request, plan.Input, Cutoffs.Budget);
            else Writer?.Refused(plan.Row, prompt, refusal.ErrorId, refusal.Message);
        }

        /// <summary>
        /// After a stop: rows accepted whose create was never sent (waiting for a place, or a file to upload) are NotSent,
        /// so that the job's counts say so. A create that may have reached RunAPI stays Pending: its key settles it.
        /// </summary>
        public void NotSentAtStop(IEnumerable<BatchInput> open)
        {
            if (Writer is null) return;
            foreach (var input in open)
            {
                if (input.Entry != BatchEntry.Create || input.CreateSent || input.Created is not null || input.JournalRow is not { } row) continue;
                if (input.Request is { } request && input.JournalInput is { } journalled) NotSent(row, request, journalled, EndReasons.Stopped);
            }
        }

        /// <summary>The command has read all its input (EndProcessing): a kill while it waits for its tasks leaves no row unknown.</summary>
        public void InputRead()
        {
            if (Writer is null || !ReadsInput) return;
            Observe(Writer.InputReadAsync());
        }

        /// <summary>The command ended: with its input read and its work done, or cut off.</summary>
        public void End(string reason, string? cutoff = null) => WriteEnd(reason, ReadsInput ? true : (bool?)null, cutoff, null);

        /// <summary>The command stopped (Ctrl+C, a terminating error): its input, if it reads one, was not read to the end.</summary>
        private void Stopped(string? errorId) => WriteEnd(EndReasons.Stopped, ReadsInput ? false : (bool?)null, null, errorId);

        private void WriteEnd(string reason, bool? inputEnded, string? cutoff, string? errorId)
        {
            if (Writer is null || _ended) return;
            _ended = true;
            Observe(Writer.EndAsync(reason, inputEnded, cutoff, errorId));
        }

        /// <summary>A journal write not awaited here: its failure is kept from going unobserved (the journal reports it to its writers).</summary>
        private static void Observe(Task write) => write.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);

        /// <summary>The ErrorId of the terminating error that ends the command, recorded in its end line.</summary>
        private string? _stoppedBy;

        /// <summary>
        /// The command is about to end with this error (a terminating error: PowerShell turns it into a stopped pipeline,
        /// which Ctrl+C also is, so the command says so first). The job's end line names it, and its exit code follows it.
        /// </summary>
        public void Ending(string errorId) => _stoppedBy ??= errorId;

        /// <summary>No key: the command ends before this row is sent, so it is journalled as not sent (a resume with a key sends it).</summary>
        public void MissingKey(PromptPlan plan)
        {
            NotSent(plan, EndReasons.Stopped);
            Ending("RunApiMissingApiKey");
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
                Observe(Writer.Accept(input));
            }
            return input;
        }

        /// <summary>
        /// A row with a task from an earlier run: its files written again (all saved), its task again (no goal past the
        /// create), or an input that waits for it (and saves it) as if this run had created it (<paramref name="attach"/>).
        /// </summary>
        public IEnumerable<object> Resumed(PromptPlan plan, string prompt, BatchGoal goal, out BatchInput? attach)
        {
            attach = null;
            var created = JournalPlan.CreatedFrom(plan.Journalled!, plan.Request!);
            var task = ImagenTask.FromCreated(created);
            if (plan.AllSaved) return plan.Journalled!.Saved.OrderBy(s => s.Key).Select(s => Marked(ImageProvenance.Of(task, s.Key).Describe(s.Value), true)).ToList();
            if (goal == BatchGoal.Create) return new[] { Marked(task, true) };
            attach = BatchInput.ToResume(created, prompt);
            attach.Row = plan.Row;
            MarkResumed(attach);
            attach = Journalled(attach, plan.Row, plan.Input);
            return Array.Empty<object>();
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

        public void Dispose()
        {
            Stopped(_stoppedBy);
            Writer?.Dispose();
        }
    }
}
