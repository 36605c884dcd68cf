using System;
using System.Linq;

namespace RunApi.Client.Polling
{
    /// <summary>
    /// How long tasks of one model took on one API origin, learned from the tasks this process has waited for.
    /// Process-wide on purpose: timings are facts about the service, not about a caller, and every runspace's waits
    /// improve from them. Holds no keys or user data.
    /// </summary>
    internal sealed class CompletionTimes
    {
        private const int Capacity = 64;

        private readonly object _gate = new object();
        private readonly double[] _seconds = new double[Capacity];
        private int _count;
        private int _next;

        private TimeSpan _longestUnfinished;

        public int Count
        {
            get { lock (_gate) return _count; }
        }

        /// <summary>
        /// The oldest age at which a task was seen still running: a lower bound on how long tasks take, known before
        /// any has completed.
        /// </summary>
        public TimeSpan LongestUnfinished
        {
            get { lock (_gate) return _longestUnfinished; }
        }

        public void RecordUnfinished(TimeSpan age)
        {
            lock (_gate)
            {
                if (age > _longestUnfinished) _longestUnfinished = age;
            }
        }

        /// <summary>Adds one observed generation time; the oldest of the last 64 makes way.</summary>
        public void Record(TimeSpan duration)
        {
            lock (_gate)
            {
                _seconds[_next] = Math.Max(0, duration.TotalSeconds);
                _next = (_next + 1) % Capacity;
                if (_count < Capacity) _count++;
            }
        }

        /// <summary>The q-quantile (0..1) of what was seen, or null with nothing seen.</summary>
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
            var value = sorted[low] + (sorted[high] - sorted[low]) * (position - low);
            return TimeSpan.FromSeconds(value);
        }
    }
}
