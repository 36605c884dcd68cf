using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RunApi.Bench.Protocol;
using RunApi.Client;
using RunApi.Client.Configuration;
using RunApi.Client.Downloads;
using RunApi.Client.Models;

namespace RunApi.Bench.Worker
{
    /// <summary>
    /// Our client core as New-ImagenImage -OutputDirectory drives it: every prompt is its own task (create, wait,
    /// download), at most <c>throttle</c> of them at once, through the process's shared pooled HttpClients.
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

        public async Task<IReadOnlyList<PromptRecord>> RunAsync(ArrivalSchedule schedule, CancellationToken cancellationToken)
        {
            using var throttle = new SemaphoreSlim(_arguments.Throttle);
            var prompts = Enumerable.Range(0, _arguments.Count).Select(i => RunPromptAsync(i, schedule, throttle, cancellationToken));
            return await Task.WhenAll(prompts);
        }

        private async Task<PromptRecord> RunPromptAsync(int index, ArrivalSchedule schedule, SemaphoreSlim throttle, CancellationToken cancellationToken)
        {
            var record = new PromptRecord { Index = index, ArrivedAt = schedule.ArrivalOf(index) };
            var holdsSlot = false;
            try
            {
                await schedule.WaitForArrivalAsync(index, cancellationToken);
                await throttle.WaitAsync(cancellationToken);
                holdsSlot = true;
                var created = await _client.CreateAsync(new TextToImageRequest(Prompts.For(index), _arguments.Model), cancellationToken: cancellationToken);
                record.TaskId = created.Id;
                // As New-ImagenImage waits: from the created task (its model and submission time) with default options,
                // so whatever schedule the client core polls with, the cmdlets poll with too.
                var done = await _client.WaitAsync(created, cancellationToken: cancellationToken);
                record.DetectedAt = DateTimeOffset.UtcNow;
                var images = done.Images ?? new List<TaskImage>();
                for (var i = 0; i < images.Count; i++)
                {
                    var target = DownloadTarget.InDirectory(_arguments.OutputDirectory, $"ours-{index}-{i}", overwrite: false);
                    var saved = await _downloader.DownloadAsync(new Uri(images[i].Url), target, cancellationToken);
                    record.ImagesSaved++;
                    record.BytesSaved += saved.Length;
                }
                record.SavedAt = DateTimeOffset.UtcNow;
            }
            catch (Exception ex)
            {
                // A failed prompt is a result to report (including the deadline's cancellation), not a crash.
                record.Error = ex.GetType().Name + ": " + ex.Message;
            }
            finally
            {
                if (holdsSlot) throttle.Release();
            }
            return record;
        }
    }
}
