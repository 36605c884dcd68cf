using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using RunApi.Client.Batches;
using RunApi.Client.Errors;
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
    internal sealed class BatchJournal : IBatchJournal, IDisposable
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

        private BatchJournal(string path, FileStream? lockBeside, FileStream file, IReadOnlyDictionary<int, JournalRow> rows, TimeProvider time)
        {
            Path = path;
            _lockBeside = lockBeside;
            _file = file;
            Rows = rows;
            _time = time;
        }

        public string Path { get; }

        /// <summary>What the journal held when it was opened: the rows of earlier runs.</summary>
        public IReadOnlyDictionary<int, JournalRow> Rows { get; }

        /// <summary>
        /// Opens (or starts) the journal at a full file-system path, for this command alone, on the API
        /// <paramref name="origin"/> (<see cref="JournalFile.OriginOf"/>): a journal of another origin is refused.
        /// </summary>
        public static BatchJournal Open(string path, string moduleVersion, string? origin = null, TimeProvider? time = null)
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
                var rows = JournalFile.Read(file, path, origin);
                var journal = new BatchJournal(path, lockBeside, file, rows, time ?? TimeProvider.System);
                journal.Begin(moduleVersion, origin);
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
                WriteNow(new JournalRecord { Kind = JournalRecord.HeaderKind, Format = JournalRecord.CurrentFormat, Module = moduleVersion, Origin = origin, At = _time.GetUtcNow() });
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
            record.At ??= _time.GetUtcNow();
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

        private static Task Faulted(Exception fault) =>
            Task.FromException(new JournalException(JournalProblem.WriteFailed, "The journal cannot be written: " + fault.Message, fault));

        /// <summary>
        /// How long lines other than accepted ones may sit in the operating system's cache before they are flushed
        /// through to the device. They reach the file at once (a killed process loses none); only a power cut can lose
        /// them, and what they say is found again by a replay or a look. An accepted line is flushed through before its
        /// writer hears of it, so a create is never sent for a row the disk may not have.
        /// </summary>
        public static readonly TimeSpan SyncInterval = TimeSpan.FromMilliseconds(100);

        /// <summary>Writes whatever is queued as one group, until nothing is left and everything is on the device.</summary>
        private async Task WriteGroupsAsync()
        {
            var unsynced = false;
            var lastSync = _time.GetTimestamp();
            while (true)
            {
                List<(JournalRecord Record, TaskCompletionSource<bool> Written)> group;
                Task more;
                lock (_gate)
                {
                    group = _pending;
                    if (group.Count == 0 && !unsynced)
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
                        // Only lines that can wait are unsynced: sync them when the interval is up, or sooner along with
                        // whatever comes next.
                        var remaining = SyncInterval - _time.GetElapsedTime(lastSync);
                        if (remaining > TimeSpan.Zero && !_closing && await Task.WhenAny(more, _time.Delay(remaining)).ConfigureAwait(false) == more) continue;
                        _file.Flush(flushToDisk: true);
                        unsynced = false;
                        lastSync = _time.GetTimestamp();
                        continue;
                    }
                    var urgent = false;
                    foreach (var (record, _) in group)
                    {
                        var line = Line(record);
                        _file.Write(line, 0, line.Length);
                        urgent |= record.Kind == JournalRecord.Accepted;
                    }
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

        /// <summary>
        /// Starts writing the row's accepted line, once per input: a command calls it as soon as it reads the row, so
        /// that the flush overlaps the wait for a create place, and the create only checks that it is done.
        /// </summary>
        public Task Accept(BatchInput input) =>
            input.AcceptedLine ??= AppendAsync(new JournalRecord
            {
                Kind = JournalRecord.Accepted,
                Row = input.JournalRow,
                IdempotencyKey = input.IdempotencyKey,
                Endpoint = input.Endpoint.Name,
                Input = input.JournalInput,
                // A text-to-image body is the request as built; a remix one has the uploaded URLs in place of stand-ins.
                Body = input.Request is RemixImageRequest || input.JournalInput is null ? input.Request?.ToJson() : input.JournalInput,
            });

        Task IBatchJournal.AcceptedAsync(BatchInput input, CancellationToken cancellationToken) => Accept(input);

        void IBatchJournal.Created(BatchInput input) =>
            Note(new JournalRecord
            {
                Kind = JournalRecord.Created,
                Row = input.JournalRow,
                IdempotencyKey = input.IdempotencyKey,
                Endpoint = input.Endpoint.Name,
                TaskId = input.TaskId,
                Status = input.Created?.Response.Status,
                Replayed = input.Created?.Response.TaskReplayed,
            });

        void IBatchJournal.Completed(BatchInput input) =>
            Note(new JournalRecord
            {
                Kind = JournalRecord.Completed,
                Row = input.JournalRow,
                TaskId = input.TaskId,
                Images = input.Task?.Images?.Select(i => i.Url).ToList(),
            });

        void IBatchJournal.Saved(BatchInput input, int imageIndex, string path) =>
            Note(new JournalRecord { Kind = JournalRecord.Saved, Row = input.JournalRow, TaskId = input.TaskId, ImageIndex = imageIndex, Path = path });

        void IBatchJournal.Failed(BatchInput input, BatchFailure failure)
        {
            var api = failure.Error as RunApiException;
            Note(new JournalRecord
            {
                Kind = JournalRecord.Failed,
                Row = input.JournalRow,
                TaskId = input.TaskId,
                Stage = failure.Stage.ToString().ToLowerInvariant(),
                ImageIndex = failure.ImageIndex,
                ErrorKind = api?.Kind.ToString(),
                OutcomeUnknown = api?.OutcomeUnknown == true ? true : (bool?)null,
                CreateAccepted = api?.CreateAccepted == true ? true : (bool?)null,
                Error = failure.Error.Message,
            });
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
            _file.Dispose();
            _lockBeside?.Dispose();
        }
    }
}
