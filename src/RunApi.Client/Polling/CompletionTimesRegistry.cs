using System;
using System.Collections.Concurrent;

namespace RunApi.Client.Polling
{
    /// <summary>The completion times of every origin and model, in this process only: one per process unless a test brings its own.</summary>
    internal sealed class CompletionTimesRegistry
    {
        public static readonly CompletionTimesRegistry Shared = new CompletionTimesRegistry();

        private readonly ConcurrentDictionary<string, CompletionTimes> _byOriginAndModel =
            new ConcurrentDictionary<string, CompletionTimes>(StringComparer.Ordinal);

        public CompletionTimes For(Uri origin, string model) =>
            _byOriginAndModel.GetOrAdd(origin.GetLeftPart(UriPartial.Authority) + "|" + model, _ => new CompletionTimes());
    }
}
