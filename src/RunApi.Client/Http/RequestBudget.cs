using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace RunApi.Client.Http
{
    /// <summary>
    /// The one request budget of an API origin and key, shared by every create and look of the process. Until RunAPI
    /// answers 429 it lets everything through. From the first 429 on it paces all requests together: at a rate below
    /// the one that was refused, nothing at all until Retry-After has passed, then a little faster with each answer
    /// that is not a 429 (and slower again at the next): quickly back up to the rate that was refused, slowly past it.
    /// Waiting looks go before waiting creates: finding the tasks already paid for comes before paying for new ones.
    /// </summary>
    internal sealed class RequestBudget
    {
        /// <summary>Of the rate that was refused, the part kept: the next 429 comes late, and rarely.</summary>
        internal const double Backoff = 0.7;

        /// <summary>Requests a second added per second of full use below the rate last refused: back to 15/s from 10.5/s in 9 s.</summary>
        internal const double GrowthPerSecond = 0.5;

        /// <summary>
        /// The same past the rate last refused, where the next 429 lies. Slower, because on a key shared by several
        /// processes every one of them grows: three at 0.5 met a 429 every second or two (rate-limited-3-processes).
        /// </summary>
        internal const double ProbeGrowthPerSecond = 0.2;

        internal const double MinRate = 0.5;

        // By clock too: a budget paces on its own clock's timers, so a client on another clock (a test's fake one, on a
        // port an earlier test's simulator had) must not wait on them. The module has one clock: one budget per key.
        private static readonly ConcurrentDictionary<(string Identity, TimeProvider Time), RequestBudget> Budgets =
            new ConcurrentDictionary<(string Identity, TimeProvider Time), RequestBudget>();

        private readonly TimeProvider _time;
        private readonly object _gate = new object();
        private readonly LinkedList<Waiter> _looks = new LinkedList<Waiter>();
        private readonly LinkedList<Waiter> _creates = new LinkedList<Waiter>();
        private readonly Queue<DateTimeOffset> _letThroughLastSecond = new Queue<DateTimeOffset>();
        private double? _rate;
        private double _refusedRate;
        private double _tokens;
        private DateTimeOffset _refilledAt;
        private DateTimeOffset _resumeAt;
        private ITimer? _timer;

        internal RequestBudget(TimeProvider time)
        {
            _time = time;
        }

        /// <summary>The budget of this origin and key (an identity that holds only a hash of the key).</summary>
        public static RequestBudget For(string identity, TimeProvider time) => Budgets.GetOrAdd((identity, time), key => new RequestBudget(key.Time));

        /// <summary>Requests a second allowed now; null while no 429 has been seen.</summary>
        public double? Rate
        {
            get { lock (_gate) return _rate; }
        }

        /// <summary>Completes when a request may be sent; <paramref name="look"/> for a look at a task (it goes first).</summary>
        public Task EnterAsync(bool look, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                var now = _time.GetUtcNow();
                if (_rate is null) return Task.CompletedTask;
                Refill(now);
                if (_looks.Count == 0 && _creates.Count == 0 && now >= _resumeAt && _tokens >= 1)
                {
                    _tokens -= 1;
                    return Task.CompletedTask;
                }
                var waiter = new Waiter();
                var node = (look ? _looks : _creates).AddLast(waiter);
                waiter.Cancellation = cancellationToken.Register(() =>
                {
                    lock (_gate) node.List?.Remove(node);
                    waiter.Done.TrySetCanceled(cancellationToken);
                });
                Schedule(now);
                return waiter.Done.Task;
            }
        }

        /// <summary>When RunAPI last answered a request of this key with anything but 429: the limit let it through.</summary>
        public DateTimeOffset? LastLetThrough
        {
            get { lock (_gate) return _lastLetThrough; }
        }

        private DateTimeOffset? _lastLetThrough;

        /// <summary>Tells the budget how RunAPI answered a request it let through.</summary>
        public void Answered(bool tooMany, TimeSpan? retryAfter)
        {
            lock (_gate)
            {
                var now = _time.GetUtcNow();
                if (!tooMany)
                {
                    _lastLetThrough = now;
                    if (_rate is null)
                    {
                        _letThroughLastSecond.Enqueue(now);
                        ForgetOlderThanASecond(now);
                    }
                }
                if (tooMany && _rate is not null && now < _resumeAt)
                {
                    // One more answer to the burst already paid for with a cut: wait longer, do not cut again.
                    var later = now + (retryAfter ?? TimeSpan.Zero);
                    if (later > _resumeAt) _resumeAt = later;
                }
                else if (tooMany)
                {
                    // The first time: what the limit let through in the last second. Not what was sent, which on a key
                    // shared by several processes is far more than this process's share.
                    ForgetOlderThanASecond(now);
                    var refused = _rate ?? Math.Max(_letThroughLastSecond.Count, 1);
                    _letThroughLastSecond.Clear(); // read only before the first cut
                    _refusedRate = refused;
                    _rate = Math.Max(MinRate, refused * Backoff);
                    _tokens = 1; // the first request after the pause goes at once, exactly when Retry-After says
                    _refilledAt = now;
                    var resume = now + (retryAfter ?? TimeSpan.FromSeconds(1 / _rate.Value));
                    if (resume > _resumeAt) _resumeAt = resume;
                    Schedule(now);
                }
                else if (_rate is { } rate)
                {
                    _rate = rate + (rate < _refusedRate ? GrowthPerSecond : ProbeGrowthPerSecond) / rate;
                }
            }
        }

        private void ForgetOlderThanASecond(DateTimeOffset now)
        {
            while (_letThroughLastSecond.Count > 0 && now - _letThroughLastSecond.Peek() > TimeSpan.FromSeconds(1)) _letThroughLastSecond.Dequeue();
        }

        /// <summary>Tokens accrue at the rate, up to one second's worth (what the service's own bucket allows at once).</summary>
        private void Refill(DateTimeOffset now)
        {
            var rate = _rate!.Value;
            var from = _refilledAt > _resumeAt ? _refilledAt : _resumeAt;
            if (now > from) _tokens = Math.Min(Math.Max(1, rate), _tokens + (now - from).TotalSeconds * rate);
            _refilledAt = now;
        }

        private void Schedule(DateTimeOffset now)
        {
            _timer?.Dispose();
            _timer = null;
            if (_looks.Count == 0 && _creates.Count == 0) return;
            var untilToken = _tokens >= 1 ? TimeSpan.Zero : TimeSpan.FromSeconds((1 - _tokens) / _rate!.Value);
            var untilResume = _resumeAt > now ? _resumeAt - now : TimeSpan.Zero;
            var due = untilResume > untilToken ? untilResume : untilToken;
            _timer = _time.CreateTimer(_ => Release(), null, due > TimeSpan.Zero ? due : TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);
        }

        private void Release()
        {
            var released = new List<Waiter>();
            lock (_gate)
            {
                var now = _time.GetUtcNow();
                Refill(now);
                while (now >= _resumeAt && _tokens >= 1 && (_looks.Count > 0 || _creates.Count > 0))
                {
                    var queue = _looks.Count > 0 ? _looks : _creates;
                    released.Add(queue.First!.Value);
                    queue.RemoveFirst();
                    _tokens -= 1;
                }
                Schedule(now);
            }
            foreach (var waiter in released)
            {
                waiter.Cancellation.Dispose();
                waiter.Done.TrySetResult(true);
            }
        }

        private sealed class Waiter
        {
            public readonly TaskCompletionSource<bool> Done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            public CancellationTokenRegistration Cancellation;
        }
    }
}
