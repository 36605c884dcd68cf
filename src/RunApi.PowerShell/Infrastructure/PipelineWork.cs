using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace RunApi.PowerShell.Infrastructure
{
    /// <summary>
    /// Runs asynchronous work off the pipeline thread and brings back everything it must write. PowerShell allows
    /// WriteObject, WriteError and friends only on the pipeline thread, so work posts actions here and the cmdlet
    /// runs them from ProcessRecord (what is ready) and EndProcessing (until all work is done).
    /// </summary>
    internal sealed class PipelineWork : IDisposable
    {
        private readonly BlockingCollection<Action> _inbox = new BlockingCollection<Action>();
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        // Touched on the pipeline thread only: incremented by Start, decremented by the action each work posts last.
        private int _running;

        /// <summary>Cancelled by Stop (Ctrl+C, PowerShell.Stop()): every HTTP call and wait observes it.</summary>
        public CancellationToken Token => _stop.Token;

        /// <summary>Queues an action for the pipeline thread. Safe from any thread.</summary>
        public void Post(Action action)
        {
            try
            {
                _inbox.Add(action);
            }
            catch (InvalidOperationException)
            {
                // Disposed: the cmdlet is gone and nothing can be written any more.
            }
        }

        /// <summary>Starts work; <paramref name="onFault"/> runs on the pipeline thread if it throws.</summary>
        public void Start(Func<CancellationToken, Task> work, Action<Exception> onFault)
        {
            _running++;
            Task.Run(() => work(_stop.Token)).ContinueWith(done => Post(() =>
            {
                _running--;
                var failure = done.Exception?.GetBaseException();
                if (failure is not null && !(failure is OperationCanceledException && _stop.IsCancellationRequested))
                {
                    onFault(failure);
                }
            }), TaskScheduler.Default);
        }

        /// <summary>Runs what is already queued, without waiting.</summary>
        public void RunReady()
        {
            while (_inbox.TryTake(out var action)) action();
        }

        /// <summary>Runs queued actions until every started work has finished. Ends at once when stopped.</summary>
        public void RunUntilDone()
        {
            RunReady();
            while (_running > 0)
            {
                Action action;
                try
                {
                    action = _inbox.Take(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new PipelineStoppedException();
                }
                action();
            }
        }

        public void Stop() => _stop.Cancel();

        public void Dispose()
        {
            _stop.Cancel();
            _inbox.CompleteAdding();
            _stop.Dispose();
        }
    }
}
