using System;
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

        public int Count
        {
            get { lock (_gate) return _count; }
        }

        /// <summary>
        /// The oldest age at which a task was seen still running. Before any has completed, a younger task need not
        /// look before it: the older one looks there first (and a first look never comes later than the first guess).
        /// </summary>
        public TimeSpan LongestRunning
        {
            get { lock (_gate) return _longestRunning; }
        }

        private TimeSpan _longestRunning;

        public void RecordRunning(TimeSpan age)
        {
            lock (_gate)
            {
                if (age > _longestRunning) _longestRunning = age;
            }
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

        /// <summary>The q-quantile (0..1) of the recent times, or null with none.</summary>
        public TimeSpan? Quantile(double q)
        {
            double[] sorted;
            lock (_gate)
            {
                if (_count == 0) return null;
                sorted = _seconds.Take(_count).OrderBy(s => s).ToArray();
            }
            var position = q * (sorted.Length - 1);
            var low = (int)Math.Floor(position);
            var high = Math.Min(low + 1, sorted.Length - 1);
            return TimeSpan.FromSeconds(sorted[low] + (sorted[high] - sorted[low]) * (position - low));
        }
    }
}
