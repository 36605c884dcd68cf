using System;
using System.Collections.Concurrent;
using System.Linq;

namespace RunApi.Client.Polling
{
    /// <summary>
    /// When recent tasks of one model on one API origin were done, as ages from their submission: the last
    /// <see cref="PollTuning.Recent"/> that this process waited for. Facts about the service, shared by every wait of
    /// the process and kept nowhere else; no key, no prompt.
    /// </summary>
    internal sealed class CompletionTimes
    {
        private readonly object _gate = new object();
        private readonly double[] _seconds = new double[PollTuning.Recent];
        private int _count;
        private int _next;

        /// <summary>
        /// The oldest age at which a task was seen still running. Before any has completed, a younger task need not
        /// look before it: the older one looks there first (and a first look never comes later than the first guess).
        /// </summary>
        public TimeSpan LongestRunning
        {
            get { lock (_gate) return _longestRunning; } // a TimeSpan is not read whole without it on 32-bit .NET Framework
        }

        private TimeSpan _longestRunning;

        public void RecordRunning(TimeSpan age)
        {
            lock (_gate) if (age > _longestRunning) _longestRunning = age;
        }

        /// <summary>
        /// Adds one age, in seconds, at which a task was done (or just before). Only a time a wait could see is taken:
        /// more than zero and within <paramref name="limit"/> (the wait's timeout), so no value can stretch a pause.
        /// </summary>
        public void Record(double seconds, TimeSpan limit)
        {
            if (!(seconds > 0 && seconds <= limit.TotalSeconds)) return; // NaN fails both
            lock (_gate)
            {
                _seconds[_next] = seconds;
                _next = (_next + 1) % _seconds.Length;
                if (_count < _seconds.Length) _count++;
            }
        }

        /// <summary>Two quantiles (0..1) of the recent times (the nearest rank), from one sort; null with none.</summary>
        public (TimeSpan Low, TimeSpan High)? Quantiles(double low, double high)
        {
            lock (_gate)
            {
                if (_count == 0) return null;
                var sorted = _seconds.Take(_count).OrderBy(s => s).ToArray();
                TimeSpan At(double q) => TimeSpan.FromSeconds(sorted[(int)Math.Round(q * (sorted.Length - 1))]);
                return (At(low), At(high));
            }
        }
    }

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
