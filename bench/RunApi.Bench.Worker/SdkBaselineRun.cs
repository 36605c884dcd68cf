using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RunApi.Bench.Protocol;

namespace RunApi.Bench.Worker
{
    /// <summary>
    /// The baseline: what a caller gets from the official SDKs' run() (contract §5.1), one prompt after the other.
    /// For each prompt: create, GET at once, then GET every 2 s (fixed, no backoff; the pause starts when a response
    /// has arrived) until a terminal status or 15 min, then download the images. No retries: the bench injects no
    /// faults, so the SDKs' retry policy would never fire.
    /// With more than one lane, that sequential loop runs in several independent copies (like several scripts each
    /// calling run() in a loop), sharing one HttpClient: more samples of the same per-prompt behaviour in the same time.
    /// </summary>
    internal sealed class SdkBaselineRun : IClientRun, IDisposable
    {
        private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
        private static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(15);

        private readonly WorkerArguments _arguments;
        private readonly BaselineHttp _http;

        public SdkBaselineRun(WorkerArguments arguments)
        {
            _arguments = arguments;
            _http = new BaselineHttp(arguments.BaseUri, arguments.Key);
        }

        public void Dispose() => _http.Dispose();

        public async Task WarmUpAsync(string model, int prompts, CancellationToken cancellationToken)
        {
            for (var p = 0; p < prompts; p++)
            {
                await RunOneAsync(model, Prompts.WarmUp(p), $"warmup-{p}", new PromptRecord { Index = -1 - p }, cancellationToken);
            }
        }

        public async Task<IReadOnlyList<PromptRecord>> RunAsync(PromptPhase phase, CancellationToken cancellationToken)
        {
            var count = Math.Min(_arguments.Lanes, phase.Count);
            var lanes = Enumerable.Range(0, count).Select(lane => RunLaneAsync(lane, count, phase, cancellationToken));
            return (await Task.WhenAll(lanes)).SelectMany(records => records).OrderBy(r => r.Index).ToList();
        }

        /// <summary>One sequential loop over the phase's prompts lane, lane + lanes, lane + 2 × lanes, ...</summary>
        private async Task<List<PromptRecord>> RunLaneAsync(int lane, int lanes, PromptPhase phase, CancellationToken cancellationToken)
        {
            var records = new List<PromptRecord>();
            for (var index = phase.First + lane; index < phase.First + phase.Count; index += lanes)
            {
                var record = phase.NewRecord(index);
                records.Add(record);
                try
                {
                    await phase.WaitForArrivalAsync(index, cancellationToken);
                    await RunOneAsync(_arguments.Model, Prompts.For(index), $"baseline-{index}", record, cancellationToken);
                }
                catch (Exception ex)
                {
                    record.Error = ex.GetType().Name + ": " + ex.Message;
                }
            }
            return records;
        }

        /// <summary>The SDKs' run() for one prompt, then the download of its images.</summary>
        private async Task RunOneAsync(string model, string prompt, string fileStem, PromptRecord record, CancellationToken cancellationToken)
        {
            var taskId = await _http.CreateAsync(model, prompt, cancellationToken);
            record.TaskId = taskId;
            var giveUpAt = DateTimeOffset.UtcNow + MaxWait;
            while (true)
            {
                var (status, urls) = await _http.GetAsync(taskId, cancellationToken);
                if (status == "completed")
                {
                    record.DetectedAt = DateTimeOffset.UtcNow;
                    for (var i = 0; i < urls.Count; i++)
                    {
                        record.BytesSaved += await _http.DownloadAsync(urls[i], Path.Combine(_arguments.OutputDirectory, $"{fileStem}-{i}.png"), cancellationToken);
                        record.ImagesSaved++;
                    }
                    record.SavedAt = DateTimeOffset.UtcNow;
                    return;
                }
                if (status == "failed") throw new InvalidOperationException($"Task {taskId} failed.");
                if (DateTimeOffset.UtcNow >= giveUpAt) throw new TimeoutException($"Task {taskId} polling timed out.");
                await Task.Delay(PollInterval, cancellationToken);
            }
        }
    }
}
