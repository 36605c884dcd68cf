using System;
using System.Collections.Concurrent;
using System.Threading;

namespace RunApi.PowerShell.Cmdlets
{
    /// <summary>
    /// Brings to the pipeline thread what must happen there. PowerShell allows WriteObject and friends only on the
    /// pipeline thread, so a command's background work posts actions here (its batch's events, verbose lines, retry
    /// warnings) and the command runs them, in the order they came, while it pumps. Once the work is stopped, nothing
    /// more is taken or run, and a pump waiting for news ends.
    /// </summary>
    internal sealed class PipelineInbox : IDisposable
    {
        /// <summary>How long a pump waits for news before it calls the tick (progress refresh) again.</summary>
        public static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(100);

        private readonly BlockingCollection<Action> _inbox = new BlockingCollection<Action>();
        private readonly CancellationToken _stopped;
        private readonly Action _stop;

        /// <param name="stopped">Cancelled when the work stops (Ctrl+C): from then on nothing is run.</param>
        /// <param name="stop">Stops the work: called when an action throws.</param>
        public PipelineInbox(CancellationToken stopped, Action stop)
        {
            _stopped = stopped;
            _stop = stop ?? throw new ArgumentNullException(nameof(stop));
        }

        /// <summary>Called at least every <see cref="TickInterval"/> while pumping, and after news.</summary>
        public Action? Tick { get; set; }

        /// <summary>Queues an action for the pipeline thread. Safe from any thread; ignored once stopped or disposed.</summary>
        public void Post(Action action)
        {
            if (_stopped.IsCancellationRequested) return;
            try
            {
                _inbox.Add(action);
            }
            catch (InvalidOperationException)
            {
                // Disposed: the command is gone and nothing can be written any more.
            }
        }

        /// <summary>Runs what is already queued, without waiting.</summary>
        public void RunReady()
        {
            while (!_stopped.IsCancellationRequested && _inbox.TryTake(out var action)) Run(action);
            Tick?.Invoke();
        }

        /// <summary>
        /// Runs queued actions as they come until <paramref name="done"/> holds (checked on this thread after each).
        /// </summary>
        /// <exception cref="OperationCanceledException">The work was stopped.</exception>
        public void RunUntil(Func<bool> done)
        {
            RunReady();
            while (!done())
            {
                bool took;
                Action? action;
                try
                {
                    took = _inbox.TryTake(out action, (int)TickInterval.TotalMilliseconds, _stopped);
                }
                catch (ObjectDisposedException)
                {
                    throw new OperationCanceledException("The command's work was disposed.");
                }
                if (took) Run(action!);
                else _stopped.ThrowIfCancellationRequested();
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
                _stop();
                throw;
            }
        }

        /// <summary>After the work has ended: nothing more is taken.</summary>
        public void Dispose() => _inbox.CompleteAdding();
    }
}
