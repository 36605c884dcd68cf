using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace RunApi.Client.Batches
{
    /// <summary>
    /// The background work of a batch (and of any other call its owner runs in the background): started here, stopped
    /// all at once by <see cref="Stop"/>, and waited for by <see cref="Dispose"/>, so that nothing the owner started
    /// outlives it or sends anything after it is disposed.
    /// </summary>
    internal sealed class BatchWork : IDisposable
    {
        /// <summary>Cancelled work ends within milliseconds; this only bounds a wait on work that ignores its token.</summary>
        private static readonly TimeSpan DisposeWaitLimit = TimeSpan.FromSeconds(10);

        /// <summary>
        /// How long a request already sent (a create) may still take to be answered after a stop. A create cut off
        /// mid-flight may have made a task no one can name; one that is answered is a task with an id to report.
        /// </summary>
        public static readonly TimeSpan AnswerGrace = TimeSpan.FromSeconds(3);

        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly CancellationTokenSource _answers = new CancellationTokenSource();
        /// <summary>Work started and not yet ended, each with the continuation that removes it when it ends.</summary>
        private readonly ConcurrentDictionary<Task, Task> _running = new ConcurrentDictionary<Task, Task>();
        private int _disposed;

        /// <summary>Cancelled by <see cref="Stop"/>: every request and wait of the work observes it.</summary>
        public CancellationToken Token => _stop.Token;

        public bool IsStopped => _stop.IsCancellationRequested;

        /// <summary>
        /// For requests that must not be cut off once sent (creates): cancelled <see cref="AnswerGrace"/> after the
        /// stop, by <see cref="Dispose"/>. Work must check <see cref="IsStopped"/> before it sends anything new.
        /// </summary>
        public CancellationToken AnswerToken => _answers.Token;

        /// <summary>Work started and not yet ended (for tests: after Dispose it is 0, so nothing can still send).</summary>
        internal int Running => _running.Keys.Count(t => !t.IsCompleted); // not the map's count: it is cleaned up a moment after

        /// <summary>Starts background work, unless stopped. What it throws is its own to report: nothing here sees it.</summary>
        public void Start(Func<CancellationToken, Task> work)
        {
            if (_stop.IsCancellationRequested) return;
            var token = _stop.Token;
            // Registered before it starts, so that Dispose can never miss work that is about to run.
            var starter = new Task<Task>(() => work(token));
            var task = starter.Unwrap();
            var ended = task.ContinueWith(done =>
            {
                _running.TryRemove(done, out _);
                _ = done.Exception; // observed: work cut off by a stop ends faulted, and that is no news
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            _running[task] = ended;
            starter.Start(TaskScheduler.Default);
        }

        private void WaitForRunning(TimeSpan limit)
        {
            try
            {
                // The continuations, not the work: once one has ended, its work is also gone from Running.
                Task.WaitAll(_running.Values.ToArray(), limit);
            }
            catch (AggregateException)
            {
                // Cancelled or failed: either way it has ended, which is all that matters here.
            }
        }

        /// <summary>
        /// Cancels every wait, download and upload at once, and lets no new request be sent; a create already sent
        /// keeps <see cref="AnswerToken"/> until Dispose. Safe from any thread (a Ctrl+C arrives on another).
        /// </summary>
        public void Stop()
        {
            try
            {
                _stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        /// <summary>Stops the work and waits for all of it to end, so that nothing is sent after this returns.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
            Stop();
            WaitForRunning(AnswerGrace);
            _answers.Cancel();
            WaitForRunning(DisposeWaitLimit);
        }
    }
}
