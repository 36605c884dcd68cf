using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using RunApi.Client.Batches;
using RunApi.Client.Errors;
using RunApi.Client.Jobs;
using RunApi.Client.Models;

namespace RunApi.Client.Journal
{
    /// <summary>
    /// The journal of one batch, open for writing: an append-only file of JSON lines, one per event of an input row.
    /// Lines are written in groups as they come, so a killed process loses at most the group being written. A group
    /// with an accepted line is flushed through to the device (fsync) before its writers hear of it: a row's accepted
    /// line is on disk before its create is sent, even across a power cut. Other lines are flushed through at most
    /// <see cref="SyncInterval"/> later. One writer at a time: the file is locked (<see cref="JournalFileLock"/>)
    /// against every other command, in this process or another, by whatever name, until this one is disposed.
    /// </summary>
    internal sealed partial class BatchJournal : IBatchJournal, IDisposable
    {
        private readonly FileStream? _lockBeside;
        private readonly FileStream _file;
        private readonly TimeProvider _time;
        private readonly object _gate = new object();
        private List<(JournalRecord Record, TaskCompletionSource<bool> Written)> _pending = new List<(JournalRecord, TaskCompletionSource<bool>)>();
        private Task _writer = Task.CompletedTask;
        private bool _writing;

        // Completed when a line is queued: wakes a writer that is waiting to sync.
        private TaskCompletionSource<bool> _more = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private Exception? _fault;
        private volatile bool _closing;

        // The job's counts as written so far (writer only, then Dispose), and where they are summed up.
        private readonly JobTally _tally;
        private readonly JobWriting? _job;
        private bool _runInputEnded;

        private BatchJournal(string path, FileStream? lockBeside, FileStream file, JournalContent content, TimeProvider time, JobWriting? job)
        {
            Path = path;
            _lockBeside = lockBeside;
            _file = file;
            Rows = content.Rows;
            _tally = content.Tally;
            _time = time;
            _job = job;
        }

        public string Path { get; }

        /// <summary>What the journal held when it was opened: the rows of earlier runs.</summary>
        public IReadOnlyDictionary<int, JournalRow> Rows { get; }

        /// <summary>
        /// Opens (or starts) the journal at a full file-system path, for this command alone, on the API
        /// <paramref name="origin"/> (<see cref="JournalFile.OriginOf"/>): a journal of another origin is refused.
        /// </summary>
        /// <param name="job">The job the journal belongs to: named in a new journal's header, and told of each run; its
        /// summary is kept as the journal is written.</param>
        public static BatchJournal Open(string path, string moduleVersion, string? origin = null, TimeProvider? time = null, JobWriting? job = null)
        {
            var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
            if (folder is null || !Directory.Exists(folder))
            {
                throw new JournalException(JournalProblem.FolderMissing,
                    $"The folder for the journal '{path}' does not exist.");
            }
            var file = JournalFileLock.OpenForWriting(path, out var lockBeside);
            try
            {
                var content = JournalFile.ReadAll(file, path, origin);
                var journal = new BatchJournal(path, lockBeside, file, content, time ?? TimeProvider.System, job);
                journal.Begin(moduleVersion, origin);
                if (job is not null) JobProcess.Opened(job.JobId);
                return journal;
            }
            catch
            {
                file.Dispose();
                lockBeside?.Dispose();
                throw;
            }
        }

        /// <summary>
        /// A new journal gets its header. A torn last line (a crash mid-write; it holds nothing that can be read) is cut
        /// off, so that the next line starts clean and the torn one does not end up in the middle.
        /// </summary>
        private void Begin(string moduleVersion, string? origin)
        {
            var whole = LengthOfWholeLines();
            if (whole < _file.Length)
            {
                _file.SetLength(whole);
                _file.Flush(flushToDisk: true);
            }
            _file.Seek(0, SeekOrigin.End);
            if (whole == 0)
            {
                WriteNow(new JournalRecord
                {
                    Kind = JournalRecord.HeaderKind, Format = JournalRecord.CurrentFormat, Module = moduleVersion, Origin = origin, Job = _job?.JobId,
                    At = _time.GetUtcNow(),
                });
            }
            if (_job is null) return;
            _runInputEnded = _job.InputEnded ?? _tally.InputEnded;
            // Which process writes it, and what the run is for: a reader tells a running job from one whose writer died.
            WriteNow(new JournalRecord
            {
                Kind = JournalRecord.Run, At = _time.GetUtcNow(), ProcessId = JobProcess.Id, ProcessStarted = JobProcess.Started,
                Machine = JobProcess.Machine, Goal = _job.Goal, Module = moduleVersion,
                InputEnded = _runInputEnded,
            });
            WriteSummary();
        }

        /// <summary>Writes summary.json from the tally, for the journal as long as it is now. A summary that cannot be written is
        /// left as it was: it names the journal length it was made from, so a reader sees it is old and reads the journal.</summary>
        private void WriteSummary()
        {
            if (_job is null) return;
            try
            {
                _tally.Summarize(_file.Position).Write(_job.SummaryPath);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
            }
        }

        /// <summary>The length up to and including the last newline.</summary>
        private long LengthOfWholeLines()
        {
            var buffer = new byte[4096];
            var end = _file.Length;
            while (end > 0)
            {
                var start = Math.Max(0, end - buffer.Length);
                _file.Seek(start, SeekOrigin.Begin);
                var read = _file.Read(buffer, 0, (int)(end - start));
                for (var i = read - 1; i >= 0; i--)
                {
                    if (buffer[i] == '\n') return start + i + 1;
                }
                end = start;
            }
            return 0;
        }

        private void WriteNow(JournalRecord record)
        {
            var line = Line(record);
            _file.Write(line, 0, line.Length);
            _file.Flush(flushToDisk: true);
            _tally.Apply(record);
        }

        private static byte[] Line(JournalRecord record)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(record, JournalFile.Json);
            var line = new byte[json.Length + 1];
            Buffer.BlockCopy(json, 0, line, 0, json.Length);
            line[json.Length] = (byte)'\n';
            return line;
        }

        /// <summary>Queues a line; the task completes once it is on disk (or fails if it cannot be written).</summary>
        public Task AppendAsync(JournalRecord record)
        {
            record.At ??= Milliseconds(_time.GetUtcNow());
            var written = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                if (_fault is not null) return Faulted(_fault);
                // Serialised by the writer, off the caller's thread (often the one that submits the batch's inputs).
                _pending.Add((record, written));
                _more.TrySetResult(true);
                if (!_writing)
                {
                    _writing = true;
                    _writer = Task.Run(WriteGroupsAsync);
                }
            }
            return written.Task;
        }

        /// <summary>Times to the millisecond: enough to order a row's lines, and 4 bytes a line shorter.</summary>
        private static DateTimeOffset Milliseconds(DateTimeOffset time) => new DateTimeOffset(time.Ticks - time.Ticks % TimeSpan.TicksPerMillisecond, time.Offset);

        private static Task Faulted(Exception fault) =>
            Task.FromException(new JournalException(JournalProblem.WriteFailed, "The journal cannot be written: " + fault.Message, fault));

        /// <summary>
        /// How long lines other than accepted ones may sit in the operating system's cache before they are flushed
        /// through to the device. They reach the file at once (a killed process loses none); only a power cut can lose
        /// them, and what they say is found again by a replay or a look. An accepted line is flushed through before its
        /// writer hears of it, so a create is never sent for a row the disk may not have.
        /// </summary>
        public static readonly TimeSpan SyncInterval = TimeSpan.FromMilliseconds(100);

        /// <summary>How often summary.json is brought up to date while lines are written (and once more at the end).</summary>
        public static readonly TimeSpan SummaryInterval = TimeSpan.FromSeconds(1);

        /// <summary>Writes whatever is queued as one group, until nothing is left and everything is on the device.</summary>
        private async Task WriteGroupsAsync()
        {
            var unsynced = false;
            var lastSync = _time.GetTimestamp();
            var summaryDue = false;
            var lastSummary = _time.GetTimestamp();
            while (true)
            {
                List<(JournalRecord Record, TaskCompletionSource<bool> Written)> group;
                Task more;
                lock (_gate)
                {
                    group = _pending;
                    if (group.Count == 0 && !unsynced && (!summaryDue || _closing))
                    {
                        _writing = false;
                        return;
                    }
                    _pending = new List<(JournalRecord, TaskCompletionSource<bool>)>();
                    if (_more.Task.IsCompleted) _more = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                    more = _more.Task;
                }
                try
                {
                    if (group.Count == 0)
                    {
                        // Only lines that can wait are unsynced, and the summary can wait: each is done when its interval is
                        // up, or sooner along with whatever comes next. A closing journal syncs at once (Dispose writes the summary).
                        var syncIn = unsynced ? SyncInterval - _time.GetElapsedTime(lastSync) : TimeSpan.MaxValue;
                        var summaryIn = summaryDue ? SummaryInterval - _time.GetElapsedTime(lastSummary) : TimeSpan.MaxValue;
                        var remaining = syncIn < summaryIn ? syncIn : summaryIn;
                        if (remaining > TimeSpan.Zero && !_closing && await Task.WhenAny(more, _time.Delay(remaining)).ConfigureAwait(false) == more) continue;
                        if (unsynced && (_closing || _time.GetElapsedTime(lastSync) >= SyncInterval))
                        {
                            _file.Flush(flushToDisk: true);
                            unsynced = false;
                            lastSync = _time.GetTimestamp();
                        }
                        if (summaryDue && !_closing && _time.GetElapsedTime(lastSummary) >= SummaryInterval)
                        {
                            WriteSummary();
                            summaryDue = false;
                            lastSummary = _time.GetTimestamp();
                        }
                        continue;
                    }
                    var urgent = false;
                    foreach (var (record, _) in group)
                    {
                        var line = Line(record);
                        _file.Write(line, 0, line.Length);
                        _tally.Apply(record);
                        urgent |= record.Kind == JournalRecord.Accepted;
                    }
                    summaryDue = _job is not null;
                    if (urgent || _time.GetElapsedTime(lastSync) >= SyncInterval)
                    {
                        _file.Flush(flushToDisk: true);
                        unsynced = false;
                        lastSync = _time.GetTimestamp();
                    }
                    else
                    {
                        _file.Flush(flushToDisk: false);
                        unsynced = true;
                    }
                    foreach (var (_, written) in group) written.TrySetResult(true);
                    if (summaryDue && _time.GetElapsedTime(lastSummary) >= SummaryInterval)
                    {
                        WriteSummary();
                        summaryDue = false;
                        lastSummary = _time.GetTimestamp();
                    }
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ObjectDisposedException)
                {
                    List<(JournalRecord Record, TaskCompletionSource<bool> Written)> rest;
                    lock (_gate)
                    {
                        _fault = ex;
                        rest = _pending;
                        _pending = new List<(JournalRecord, TaskCompletionSource<bool>)>();
                        _writing = false;
                    }
                    var failure = Faulted(ex).Exception!.InnerException!;
                    foreach (var (_, written) in group) written.TrySetException(failure);
                    foreach (var (_, written) in rest) written.TrySetException(failure);
                    return;
                }
            }
        }

        /// <summary>Lines other than accepted are not waited for: a lost one costs a look or a replay, never money.</summary>
        private void Note(JournalRecord record)
        {
            if (record.Row is null) return;
            _ = AppendAsync(record).ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        }

        /// <summary>Waits for the lines queued so far to reach the disk, then closes the journal and its lock.</summary>
        public void Dispose()
        {
            Task writer;
            lock (_gate)
            {
                // A writer waiting to sync does so now, not when the interval is up (on a test's clock, maybe never).
                _closing = true;
                _more.TrySetResult(true);
                writer = _writer;
            }
            try
            {
                writer.Wait(TimeSpan.FromSeconds(10));
            }
            catch (AggregateException)
            {
                // Reported to the writers already.
            }
            lock (_gate) _fault ??= new ObjectDisposedException(nameof(BatchJournal));
            try
            {
                if (writer.IsCompleted) WriteSummary();
                _file.Dispose(); // may throw: a flush that fails now
            }
            finally
            {
                _lockBeside?.Dispose();
                if (_job is not null) JobProcess.Closed(_job.JobId);
            }
        }
    }
}
