using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RunApi.Bench.Protocol;
using RunApi.Client;
using RunApi.Client.Batches;
using RunApi.Client.Configuration;
using RunApi.Client.Downloads;
using RunApi.Client.Models;

namespace RunApi.Bench.Worker
{
    /// <summary>
    /// Our client core as New-ImagenImage -OutputDirectory drives it: the batch engine, with at most <c>throttle</c>
    /// creates in flight, every created task waited for at once and downloads in their own stage, through the
    /// process's shared pooled HttpClients.
    /// </summary>
    internal sealed class OurClientRun : IClientRun
    {
        private readonly WorkerArguments _arguments;
        private readonly RunApiClient _client;
        private readonly ImageDownloader _downloader = new ImageDownloader();

        public OurClientRun(WorkerArguments arguments)
        {
            _arguments = arguments;
            _client = new RunApiClient(new RunApiSettings(arguments.BaseUri, new ApiKey(arguments.Key)), new RunApiClientOptions());
        }

        /// <summary>The warm-up prompts run at once: the client core may wait a while before its first look at a model it has not seen.</summary>
        public Task WarmUpAsync(string model, int prompts, CancellationToken cancellationToken) =>
            Task.WhenAll(Enumerable.Range(0, prompts).Select(async p =>
            {
                var created = await _client.CreateAsync(new TextToImageRequest(Prompts.WarmUp(p), model), cancellationToken: cancellationToken);
                var done = await _client.WaitAsync(created, cancellationToken: cancellationToken);
                var images = done.Images ?? new List<TaskImage>();
                for (var i = 0; i < images.Count; i++)
                {
                    await _downloader.DownloadAsync(new Uri(images[i].Url), DownloadTarget.InDirectory(_arguments.OutputDirectory, $"warmup-{p}-{i}", overwrite: true), cancellationToken);
                }
            }));

        /// <summary>
        /// The cmdlets' engine, fed as New-ImagenImage -OutputDirectory feeds it: each prompt is submitted when it has
        /// arrived and the create stage has room, by one thread (like the pipeline thread) that waits for the engine's
        /// news in between.
        /// </summary>
        public Task<IReadOnlyList<PromptRecord>> RunAsync(PromptPhase phase, CancellationToken cancellationToken) =>
            Task.Factory.StartNew(() => Run(phase, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        /// <summary>One command's batch: a phase is what one New-ImagenImage call of a script sends; the client (and what it learned) outlives it.</summary>
        private IReadOnlyList<PromptRecord> Run(PromptPhase phase, CancellationToken cancellationToken)
        {
            var records = phase.Indices.Select(phase.NewRecord).ToList();
            using var work = new BatchWork();
            using var stop = cancellationToken.Register(work.Stop);
            var settings = new BatchSettings
            {
                Goal = BatchGoal.Save,
                CreateLimit = _arguments.Throttle,
                Downloader = _downloader,
            };
            var recorder = new Recorder(_arguments.OutputDirectory);
            var batch = new ImagenBatch(_client, work, settings, recorder);
            try
            {
                foreach (var record in records)
                {
                    var arrival = record.ArrivedAt;
                    recorder.WaitUntil(() => DateTimeOffset.UtcNow >= arrival && batch.HasRoomFor(BatchEntry.Create), arrival, cancellationToken);
                    batch.Submit(BatchInput.ToCreate(new TextToImageRequest(Prompts.For(record.Index), _arguments.Model), tag: record));
                }
                recorder.WaitUntil(() => batch.IsIdle, null, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                foreach (var record in records.Where(r => r.SavedAt is null && r.Error is null)) record.Error = "cancelled at the worker's deadline";
            }
            return records;
        }

        /// <summary>
        /// The batch's host: turns its events into the bench's per-prompt records (one event at a time, from the batch's
        /// work), saves images as ours-{prompt}-{index}, and wakes the submitting thread at each event.
        /// </summary>
        private sealed class Recorder : IBatchHost
        {
            private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

            private readonly string _folder;
            private readonly AutoResetEvent _news = new AutoResetEvent(false);

            public Recorder(string folder) => _folder = folder;

            /// <summary>Blocks until <paramref name="done"/> holds: checked at each event, at <paramref name="due"/>, and every tick.</summary>
            /// <exception cref="OperationCanceledException">The worker's deadline passed.</exception>
            public void WaitUntil(Func<bool> done, DateTimeOffset? due, CancellationToken cancellationToken)
            {
                while (!done())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var untilDue = due - DateTimeOffset.UtcNow;
                    var wait = untilDue > TimeSpan.Zero && untilDue < Tick ? untilDue.Value : Tick;
                    WaitHandle.WaitAny(new[] { _news, cancellationToken.WaitHandle }, wait);
                }
            }

            public DownloadTarget SaveTarget(BatchInput input, int imageIndex, TaskImage image) =>
                DownloadTarget.InDirectory(_folder, $"ours-{((PromptRecord)input.Tag!).Index}-{imageIndex}", overwrite: false);

            public Task BeforeCreateAsync(CreateTaskRequest request, CancellationToken cancellationToken) => Task.CompletedTask;

            public void Created(BatchInput input)
            {
                ((PromptRecord)input.Tag!).TaskId = input.TaskId;
                _news.Set(); // a create place may be free
            }

            public void Completed(BatchInput input) => ((PromptRecord)input.Tag!).DetectedAt = DateTimeOffset.UtcNow;
            public void Looked(BatchInput input) { }

            public void Saved(BatchInput input, int imageIndex, DownloadedImage image)
            {
                var record = (PromptRecord)input.Tag!;
                record.ImagesSaved++;
                record.BytesSaved += image.Length;
                record.SavedAt = DateTimeOffset.UtcNow;
            }

            public void Failed(BatchInput input, BatchFailure failure)
            {
                var error = failure.Error;
                ((PromptRecord)input.Tag!).Error = error.GetType().Name + ": " + error.Message;
                _news.Set(); // a create place may be free
            }

            public void Ended(BatchInput input) => _news.Set(); // the batch may be idle
        }
    }
}
