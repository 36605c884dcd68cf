using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace RunApi.Client.Batches
{
    /// <summary>
    /// Runs a command's background work and brings back to one consumer thread everything that must happen there.
    /// PowerShell allows WriteObject and friends only on the pipeline thread, so work posts actions here and the
    /// command runs them while it pumps. The runner owns the work: <see cref="Stop"/> cancels all of it, and
    /// <see cref="Dispose"/> also waits for it to end, so nothing the command started outlives it.
    /// </summary>
    internal sealed class BatchRunner : IDisposable
    {
        /// <summary>How long a pump waits for news before it calls the tick (progress refresh) again.</summary>
        public static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(100);

        /// <summary>Cancelled work ends within milliseconds; this only bounds a wait on work that ignores its token.</summary>
        private static readonly TimeSpan DisposeWaitLimit = TimeSpan.FromSeconds(10);

        /// <summary>
        /// How long a request already sent (a create) may still take to be answered after a stop. A create cut off
        /// mid-flight may have made a task no one can name; one that is answered is a task with an id to report.
        /// </summary>
        public static readonly TimeSpan AnswerGrace = TimeSpan.FromSeconds(3);

        private readonly BlockingCollection<Action> _inbox = new BlockingCollection<Action>();
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly CancellationTokenSource _answers = new CancellationTokenSource();
        /// <summary>Work started and not yet ended, each with the continuation that removes it when it ends.</summary>
        private readonly ConcurrentDictionary<Task, Task> _running = new ConcurrentDictionary<Task, Task>();
        private int _disposed;

        /// <summary>Consumer thread: called at least every <see cref="TickInterval"/> while pumping, and after news.</summary>
        public Action? Tick { get; set; }

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

        /// <summary>Queues an action for the consumer thread. Safe from any thread; ignored once stopped.</summary>
        public void Post(Action action)
        {
            if (_stop.IsCancellationRequested) return;
            try
            {
                _inbox.Add(action);
            }
            catch (InvalidOperationException)
            {
                // Disposed: the command is gone and nothing can be written any more.
            }
        }

        /// <summary>Starts background work. Its own failure, if it throws, is handed to <paramref name="onFault"/> on the consumer thread.</summary>
        public void Start(Func<CancellationToken, Task> work, Action<Exception>? onFault = null)
        {
            if (_stop.IsCancellationRequested) return;
            var token = _stop.Token;
            // Registered before it starts, so that Dispose can never miss work that is about to run.
            var starter = new Task<Task>(() => work(token));
            var task = starter.Unwrap();
            var ended = task.ContinueWith(done =>
            {
                _running.TryRemove(done, out _);
                var failure = done.Exception?.GetBaseException();
                if (failure is not null && onFault is not null && !(failure is OperationCanceledException && token.IsCancellationRequested))
                {
                    Post(() => onFault(failure));
                }
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            _running[task] = ended;
            starter.Start(TaskScheduler.Default);
        }

        /// <summary>Runs what is already queued, without waiting.</summary>
        public void RunReady()
        {
            while (!_stop.IsCancellationRequested && _inbox.TryTake(out var action)) Run(action);
            Tick?.Invoke();
        }

        /// <summary>
        /// Runs queued actions as they come until <paramref name="done"/> holds (checked on this thread after each).
        /// </summary>
        /// <exception cref="OperationCanceledException">The runner was stopped.</exception>
        public void RunUntil(Func<bool> done)
        {
            RunReady();
            while (!done())
            {
                bool took;
                Action? action;
                try
                {
                    took = _inbox.TryTake(out action, (int)TickInterval.TotalMilliseconds, _stop.Token);
                }
                catch (ObjectDisposedException)
                {
                    throw new OperationCanceledException("The batch was disposed.");
                }
                if (took) Run(action!);
                else _stop.Token.ThrowIfCancellationRequested();
                Tick?.Invoke();
            }
        }

        /// <summary>An action that throws (a stopped pipeline, -ErrorAction Stop) stops all the work before it propagates.</summary>
        private void Run(Action action)
        {
            try
            {
                action();
            }
            catch
            {
                Stop();
                throw;
            }
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
        /// keeps <see cref="AnswerToken"/> until Dispose. Safe from any thread (Ctrl+C arrives on another).
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
            _inbox.CompleteAdding();
        }
    }
}
