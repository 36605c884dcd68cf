using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;

namespace RunApi.Client.Polling
{
    /// <summary>
    /// The learned timings of every origin and model; one per process unless a test brings its own. With a
    /// <see cref="TimingsFile"/>, they start from what earlier processes learned and are kept for later ones: written
    /// after every <see cref="SaveEvery"/> new times and when the process exits.
    /// </summary>
    internal sealed class CompletionTimesRegistry
    {
        public const int SaveEvery = 16;

        public static readonly CompletionTimesRegistry Shared = new CompletionTimesRegistry(TimingsFile.FromEnvironment());

        private readonly ConcurrentDictionary<string, CompletionTimes> _byOriginAndModel =
            new ConcurrentDictionary<string, CompletionTimes>(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, bool> _kept = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        private readonly TimingsFile? _file;
        private int _unsaved;

        public CompletionTimesRegistry(TimingsFile? file = null)
        {
            _file = file;
            if (file is not null) AppDomain.CurrentDomain.ProcessExit += (_, _) => Save();
        }

        public CompletionTimes For(Uri origin, string model) =>
            _byOriginAndModel.GetOrAdd(origin.GetLeftPart(UriPartial.Authority) + "|" + model, key =>
            {
                var times = new CompletionTimes();
                if (_file is null || !_file.Keeps(origin)) return times;
                times.Seed(_file.Load(key));
                times.Recorded = Recorded;
                _kept[key] = true;
                return times;
            });

        /// <summary>Writes the kept origins' times to the file now.</summary>
        public void Save()
        {
            if (_file is null) return;
            Interlocked.Exchange(ref _unsaved, 0);
            _file.Save(_kept.Keys.ToDictionary(key => key, key => _byOriginAndModel[key].Seconds(), StringComparer.Ordinal));
        }

        private void Recorded()
        {
            if (Interlocked.Increment(ref _unsaved) >= SaveEvery) Save();
        }
    }
}
