using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace RunApi.Client.Polling
{
    /// <summary>
    /// How long tasks of one model took on one API origin, learned from the tasks this process has waited for, and
    /// which of the tasks waiting before anything is learned are scouting for the rest.
    /// Process-wide on purpose: timings are facts about the service, not about a caller, and every runspace's waits
    /// improve from them. Holds no keys or user data.
    /// </summary>
    internal sealed class CompletionTimes
    {
        private const int Capacity = 64;

        /// <summary>
        /// Tasks that look before anything is learned. A batch that starts together has the same timings throughout:
        /// a few of its tasks find out when the model completes and the others wait for that, instead of every task
        /// looking again and again. Four, one of them probing early. Two cost fewer looks on tasks arriving over time
        /// (0.60-0.62x the SDKs' polls against 0.63-0.65x) but, on 32 tasks of 4-8 s sent at once, two slow scouts
        /// left the batch waiting: a median delay of 1.9-2.1 s in two of four runs.
        /// </summary>
        public const int MaxScouts = 4;

        private readonly object _gate = new object();
        private readonly double[] _seconds = new double[Capacity];
        private int _count;
        private int _next;
        private int _scouts;
        private double[]? _sorted; // the times in order, made when first asked after a change: every look asks
        private CancellationTokenSource _news = new CancellationTokenSource();

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

        /// <summary>
        /// Cancelled the next time a generation time is recorded or a scout stands down. Take it before reading the
        /// state it is a signal for, so that no change falls between the two.
        /// </summary>
        public CancellationToken News
        {
            get { lock (_gate) return _news.Token; }
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
            lock (_gate) Add(duration.TotalSeconds);
            Signal();
            Recorded?.Invoke();
        }

        /// <summary>Told after each time recorded (the registry keeps them for later processes).</summary>
        internal Action? Recorded { get; set; }

        /// <summary>What an earlier process learned, taken as if seen here, before anything of this process.</summary>
        internal void Seed(IEnumerable<double> seconds)
        {
            lock (_gate)
            {
                foreach (var s in seconds) Add(s);
            }
        }

        /// <summary>The times kept, oldest first.</summary>
        internal double[] Seconds()
        {
            lock (_gate)
            {
                var start = _count < Capacity ? 0 : _next;
                return Enumerable.Range(0, _count).Select(i => _seconds[(start + i) % Capacity]).ToArray();
            }
        }

        private void Add(double seconds)
        {
            _seconds[_next] = Math.Max(0, seconds);
            _sorted = null;
            _next = (_next + 1) % Capacity;
            if (_count < Capacity) _count++;
        }

        /// <summary>
        /// A place among the scouts, held until disposed; null when all places are taken. The lead scout, enlisted
        /// when no other was, takes the early probes: the others would only look at the same ages again.
        /// </summary>
        public Scout? TryEnlistScout()
        {
            bool leads;
            lock (_gate)
            {
                if (_scouts >= MaxScouts) return null;
                leads = _scouts == 0;
                _scouts++;
            }
            return new Scout(this, leads);
        }

        private void StandDown()
        {
            lock (_gate) _scouts--;
            Signal();
        }

        private void Signal()
        {
            CancellationTokenSource fired;
            lock (_gate)
            {
                fired = _news;
                _news = new CancellationTokenSource();
            }
            // A cancellation, not a completed task: the pauses it ends stop their timers here, at once, but the waits
            // resume on their own threads, never on this one (a look's, or a scout's dispose).
            fired.Cancel();
        }

        /// <summary>The q-quantile (0..1) of what was seen, or null with nothing seen.</summary>
        public TimeSpan? Quantile(double q)
        {
            double[] sorted;
            lock (_gate)
            {
                if (_count == 0) return null;
                sorted = _sorted ??= _seconds.Take(_count).OrderBy(s => s).ToArray();
            }
            var position = q * (sorted.Length - 1);
            var low = (int)Math.Floor(position);
            var high = Math.Min(low + 1, sorted.Length - 1);
            var value = sorted[low] + (sorted[high] - sorted[low]) * (position - low);
            return TimeSpan.FromSeconds(value);
        }

        internal sealed class Scout : IDisposable
        {
            private CompletionTimes? _times;

            internal Scout(CompletionTimes times, bool leads)
            {
                _times = times;
                Leads = leads;
            }

            public bool Leads { get; }

            public void Dispose()
            {
                var times = Interlocked.Exchange(ref _times, null);
                times?.StandDown();
            }
        }
    }
}
