using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RunApi.Client.Downloads;
using RunApi.Client.Errors;
using RunApi.Client.Http;
using RunApi.Client.Models;

namespace RunApi.Client.Batches
{
    /// <summary>
    /// The engine behind every cmdlet that calls the API: inputs flow create → wait → save, each stage with its own
    /// bound. A create holds its place only until RunAPI answers; a generating task holds none, and any number of
    /// them wait, their looks bounded per batch and per origin and key. Downloads have their own places.
    /// <para>
    /// Whoever runs the batch submits inputs only while <see cref="HasRoomFor"/> says so, so input is read only as fast
    /// as the first stage takes it and memory follows the work in flight, not the number of rows. The batch asks its
    /// <see cref="IBatchHost"/> for what it needs and tells it what happens; its work runs on a <see cref="BatchWork"/>,
    /// which stops it and waits for it.
    /// </para>
    /// <para>
    /// The work runs on many threads at once. The batch's own state (its open inputs, the places taken in each entry
    /// stage, <see cref="Counts"/>) changes only under one lock, together with the event that tells the host of the
    /// change, so that what the host has been told and what the batch says always agree.
    /// </para>
    /// </summary>
    internal sealed class ImagenBatch
    {
        private readonly RunApiClient? _client;
        private readonly BatchWork _work;
        private readonly BatchSettings _settings;
        private readonly IBatchHost _host;
        private readonly RequestGate _looks;
        private readonly RequestGate _downloads;
        private readonly ImageDownloader _downloader;

        // Guarded by _gate: inputs not yet ended, and those holding a place of their entry stage.
        private readonly object _gate = new object();
        private readonly HashSet<BatchInput> _open = new HashSet<BatchInput>();
        private int _creating;
        private int _lookingOnce;
        private int _savingOnly;

        // The first create RunAPI refused for the key or the credits: nothing more is sent after it, since it would be
        // refused alike. Written by the work, read by Submit and by creates about to send.
        private volatile RunApiException? _refusal;

        /// <param name="client">The API client; null for a batch of Save inputs only, which needs no key.</param>
        /// <param name="work">Runs the batch's work; stopping it stops the batch, disposing it waits for the batch's work to end.</param>
        public ImagenBatch(RunApiClient? client, BatchWork work, BatchSettings settings, IBatchHost host)
        {
            _client = client;
            _work = work ?? throw new ArgumentNullException(nameof(work));
            _settings = settings ?? throw new ArgumentNullException(nameof(settings));
            _host = host ?? throw new ArgumentNullException(nameof(host));
            _looks = new RequestGate(settings.LookLimit);
            _downloads = new RequestGate(settings.DownloadLimit);
            _downloader = settings.Downloader ?? new ImageDownloader();
            Counts = new BatchCounts(client?.TimeProvider ?? TimeProvider.System, ProgressReported);
        }

        /// <summary>
        /// The progress RunAPI gave in the latest answer of each task still generating. An input's task is set by the
        /// work as each answer comes; a reference is read whole, so this sees one answer or the next.
        /// </summary>
        private ReportedProgress ProgressReported()
        {
            var reported = default(ReportedProgress);
            lock (_gate)
            {
                foreach (var input in _open)
                {
                    if (input.Task is { Progress: { } percent } task && task.State != TaskState.Completed && task.State != TaskState.Failed)
                    {
                        reported = reported.With(percent);
                    }
                }
            }
            return reported;
        }

        /// <summary>What the batch has done so far, for progress: changed under the lock, read from any thread.</summary>
        public BatchCounts Counts { get; }

        /// <summary>
        /// The inputs not yet ended (a copy). After a stop, those it cut off: the batch tells nothing more, so they stay
        /// as they were, for whoever runs the batch to report.
        /// </summary>
        public IReadOnlyCollection<BatchInput> Open
        {
            get
            {
                lock (_gate) return new List<BatchInput>(_open);
            }
        }

        /// <summary>Every input submitted has ended, and the host has been told so.</summary>
        public bool IsIdle
        {
            get
            {
                lock (_gate) return _open.Count == 0;
            }
        }

        /// <summary>The 401 or 402 that stopped the creates, if one did.</summary>
        public RunApiException? Refusal => _refusal;

        /// <summary>Whether an input of this entry can start now. It becomes true only with an event told to the host.</summary>
        public bool HasRoomFor(BatchEntry entry)
        {
            lock (_gate)
            {
                switch (entry)
                {
                    case BatchEntry.Create: return _creating < _settings.CreateLimit || _refusal is not null;
                    case BatchEntry.Look: return _lookingOnce < _settings.LookLimit;
                    case BatchEntry.Save: return _savingOnly < _settings.DownloadLimit;
                    default: return true;
                }
            }
        }

        /// <summary>Starts an input. Call it when <see cref="HasRoomFor"/> its entry.</summary>
        public void Submit(BatchInput input)
        {
            if (input is null) throw new ArgumentNullException(nameof(input));
            if (_client is null && input.Entry != BatchEntry.Save) throw new InvalidOperationException("This batch has no API client: it takes Save inputs only.");
            lock (_gate)
            {
                Counts.Submitted++;
                _open.Add(input);
                if (input.Entry == BatchEntry.Create && _refusal is { } refusal)
                {
                    // Refused before it was sent: reported at once, nothing is sent.
                    Tell(() =>
                    {
                        Counts.Failed++;
                        _host.Failed(input, new BatchFailure(BatchStage.Create, NotSubmitted(refusal)));
                        End(input);
                    });
                    return;
                }
                Take(input, +1);
                input.HoldsEntrySlot = true;
                if (input.Entry == BatchEntry.Wait) Counts.Waiting++;
            }
            _work.Start(token => RunAsync(input, token));
        }

        /// <summary>
        /// Moves the batch's state and tells the host of it, as one step under the lock. Once the work is stopped, neither
        /// happens: the inputs it cut off stay open, as they were, and the host hears nothing more.
        /// </summary>
        private void Tell(Action step)
        {
            lock (_gate)
            {
                if (_work.IsStopped) return;
                step();
            }
        }

        private void Take(BatchInput input, int change)
        {
            switch (input.Entry)
            {
                case BatchEntry.Create: _creating += change; break;
                case BatchEntry.Look: _lookingOnce += change; break;
                case BatchEntry.Save: _savingOnly += change; break;
            }
        }

        private void LeaveEntryStage(BatchInput input)
        {
            if (!input.HoldsEntrySlot) return;
            input.HoldsEntrySlot = false;
            Take(input, -1);
        }

        private void End(BatchInput input)
        {
            LeaveEntryStage(input);
            if (!_open.Remove(input)) return;
            Counts.Ended++;
            _host.Ended(input);
        }

        private async Task RunAsync(BatchInput input, CancellationToken token)
        {
            try
            {
                switch (input.Entry)
                {
                    case BatchEntry.Create:
                        if (!await CreateAsync(input, token).ConfigureAwait(false) || _settings.Goal == BatchGoal.Create) return;
                        await WaitAndSaveAsync(input, token).ConfigureAwait(false);
                        break;
                    case BatchEntry.Wait:
                        await WaitAndSaveAsync(input, token).ConfigureAwait(false);
                        break;
                    case BatchEntry.Look:
                        await LookAsync(input, token).ConfigureAwait(false);
                        break;
                    case BatchEntry.Save:
                        await SaveAsync(input, 0, input.Source!, input.Target!, token).ConfigureAwait(false);
                        break;
                }
            }
            catch (Exception error) when (!token.IsCancellationRequested)
            {
                // Each stage reports its own failures; this is for one none foresaw, so that no input ends unreported.
                Fail(input, new BatchFailure(input.Entry == BatchEntry.Create && input.Created is null ? BatchStage.Create
                    : input.Entry == BatchEntry.Look ? BatchStage.Look : input.Entry == BatchEntry.Save ? BatchStage.Save : BatchStage.Wait, error));
            }
            finally
            {
                Tell(() => End(input));
            }
        }

        /// <summary>Sends the create; true when a task was created. Its place is given back as soon as RunAPI answers.</summary>
        private async Task<bool> CreateAsync(BatchInput input, CancellationToken token)
        {
            try
            {
                var request = input.Request!;
                if (_refusal is { } early) throw NotSubmitted(early);
                await _host.BeforeCreateAsync(request, token).ConfigureAwait(false);
                if (Journal(input) is { } journal) await journal.AcceptedAsync(input, token).ConfigureAwait(false);
                // Sent under the answer token: a stop does not cut off a create on the wire, so its task gets an id.
                var created = await _client!.CreateAsync(request, input.IdempotencyKey, _work.AnswerToken, () => BeforeAttempt(input)).ConfigureAwait(false);
                input.Created = created;
                input.TaskId = created.Id;
                Journal(input)?.Created(input);
                Tell(() =>
                {
                    LeaveEntryStage(input);
                    Counts.Created++;
                    if (_settings.Goal != BatchGoal.Create) Counts.Waiting++;
                    _host.Created(input);
                });
                return true;
            }
            catch (Exception error) when (!token.IsCancellationRequested && !(error is OperationCanceledException))
            {
                if (error is RunApiException { Kind: RunApiErrorKind.Authentication or RunApiErrorKind.InsufficientCredits or RunApiErrorKind.ProxyAuthentication } refused)
                {
                    _refusal ??= refused;
                }
                var failure = new BatchFailure(BatchStage.Create, Explain(error, input));
                Journal(input)?.Failed(input, failure);
                Tell(() =>
                {
                    LeaveEntryStage(input);
                    Counts.Failed++;
                    _host.Failed(input, failure);
                });
                return false;
            }
        }

        /// <summary>No attempt (first or retry) is sent once the batch has stopped, or RunAPI refused one of its creates.</summary>
        private void BeforeAttempt(BatchInput input)
        {
            if (_work.IsStopped) throw new OperationCanceledException(_work.Token);
            if (_refusal is { } refusal) throw input.CreateSent ? (Exception)new CreateHeldException(refusal) : NotSubmitted(refusal);
            input.CountCreateAttempt();
        }

        private static Exception Explain(Exception error, BatchInput input)
        {
            switch (error)
            {
                case CreateHeldException held:
                    return RunApiException.CreateOutcomeUnknown(held.Refusal, input.IdempotencyKey!,
                        "its retry was not sent because RunAPI refused another create of this call");
                case RunApiException api when api.IsTransient && input.CreateSent && !api.EveryAttemptRefused:
                    return RunApiException.CreateOutcomeUnknown(api, input.IdempotencyKey!, null);
                default:
                    return error;
            }
        }

        private static RunApiException NotSubmitted(RunApiException refusal) =>
            new RunApiException(refusal.Kind,
                $"Not submitted: RunAPI refused an earlier create of this call ({refusal.ServiceMessage ?? refusal.Message}), " +
                "so this prompt was not sent.")
            { StatusCode = refusal.StatusCode };

        private async Task WaitAndSaveAsync(BatchInput input, CancellationToken token)
        {
            TaskResponse done;
            try
            {
                var pending = new PendingTask(input.Endpoint, input.TaskId!, input.Created?.SubmittedAt ?? input.SubmittedAt,
                    input.Created?.Request.Model ?? input.Model);
                var options = new WaitOptions { Timeout = _settings.WaitTimeout, Looks = _looks };
                done = await _client!.WaitAsync(pending, options, task => input.Task = task, token).ConfigureAwait(false);
            }
            catch (Exception error) when (!token.IsCancellationRequested)
            {
                if (error is RunApiException { Task: { } last }) input.Task = last;
                Fail(input, new BatchFailure(BatchStage.Wait, error));
                return;
            }
            input.Task = done;
            Journal(input)?.Completed(input);
            Tell(() =>
            {
                Counts.Waiting--;
                Counts.Completed++;
                _host.Completed(input);
            });
            if (_settings.Goal != BatchGoal.Save) return;

            var images = done.Images ?? new List<TaskImage>();
            for (var index = 0; index < images.Count; index++)
            {
                var image = images[index];
                if (!Uri.TryCreate(image.Url, UriKind.Absolute, out var source))
                {
                    Fail(input, new BatchFailure(BatchStage.Save, new RunApiException(RunApiErrorKind.InvalidResponse,
                        $"Task {done.Id} gave image {index} an address that is not an absolute URL.") { TaskId = done.Id }, index));
                    continue;
                }
                DownloadTarget target;
                try
                {
                    target = _host.SaveTarget(input, index, image);
                }
                catch (Exception error)
                {
                    Fail(input, new BatchFailure(BatchStage.Save, error, index, source));
                    continue;
                }
                await SaveAsync(input, index, source, target, token).ConfigureAwait(false);
            }
        }

        private async Task LookAsync(BatchInput input, CancellationToken token)
        {
            try
            {
                input.Task = await _client!.GetTaskAsync(input.Endpoint, input.TaskId!, token, _looks).ConfigureAwait(false);
                Tell(() => _host.Looked(input));
            }
            catch (Exception error) when (!token.IsCancellationRequested)
            {
                Fail(input, new BatchFailure(BatchStage.Look, error));
            }
        }

        private async Task SaveAsync(BatchInput input, int index, Uri source, DownloadTarget target, CancellationToken token)
        {
            try
            {
                DownloadedImage saved;
                using (await _downloads.EnterAsync(token).ConfigureAwait(false))
                {
                    saved = await _downloader.DownloadAsync(source, target, token).ConfigureAwait(false);
                }
                input.ImagesSaved++;
                Journal(input)?.Saved(input, index, saved.Path);
                Tell(() =>
                {
                    Counts.Saved++;
                    _host.Saved(input, index, saved);
                });
            }
            catch (Exception error) when (!token.IsCancellationRequested)
            {
                Fail(input, new BatchFailure(BatchStage.Save, error, index, source));
            }
        }

        private IBatchJournal? Journal(BatchInput input) => input.JournalRow is null ? null : _settings.Journal;

        private void Fail(BatchInput input, BatchFailure failure)
        {
            Journal(input)?.Failed(input, failure);
            Tell(() =>
            {
                if (failure.Stage == BatchStage.Wait) Counts.Waiting--;
                Counts.Failed++;
                _host.Failed(input, failure);
            });
        }

        /// <summary>A retry held back after a refusal: the earlier attempt's outcome is unknown.</summary>
        private sealed class CreateHeldException : Exception
        {
            public CreateHeldException(RunApiException refusal) : base(refusal.Message) => Refusal = refusal;

            public RunApiException Refusal { get; }
        }
    }
}
