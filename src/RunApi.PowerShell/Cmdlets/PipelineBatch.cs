using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RunApi.Client;
using RunApi.Client.Batches;
using RunApi.Client.Downloads;
using RunApi.Client.Models;

namespace RunApi.PowerShell.Cmdlets
{
    /// <summary>
    /// A cmdlet's batch as its pipeline thread sees it, and the engine's host: the engine's asks are answered by the
    /// cmdlet on the engine's work, and each of its events is queued on the inbox, to be handed to the cmdlet on the
    /// pipeline thread, in the order the engine told them.
    /// <para>
    /// <see cref="Open"/> holds the inputs whose end the cmdlet has not handled yet. The engine may have ended an input
    /// whose events still wait in the inbox: the command is done with its batch only when none is left (EndProcessing
    /// pumps until then), and after a stop, when queued events are dropped, they are what it must still report.
    /// </para>
    /// </summary>
    /// <remarks>
    /// Not implemented by the cmdlet itself: PowerShell reads its public types at import, and a client type among their
    /// interfaces would load the client core before the module's resolver is in place.
    /// </remarks>
    internal sealed class PipelineBatch : IBatchHost
    {
        private readonly AsyncCmdlet _cmdlet;
        private readonly PipelineInbox _inbox;
        private readonly ImagenBatch _engine;

        // Pipeline thread only.
        private readonly HashSet<BatchInput> _open = new HashSet<BatchInput>();

        public PipelineBatch(AsyncCmdlet cmdlet, PipelineInbox inbox, RunApiClient? client, BatchWork work, BatchSettings settings)
        {
            _cmdlet = cmdlet;
            _inbox = inbox;
            _engine = new ImagenBatch(client, work, settings, this);
        }

        public BatchCounts Counts => _engine.Counts;

        /// <summary>Pipeline thread: inputs submitted whose end the cmdlet has not handled yet.</summary>
        public IReadOnlyCollection<BatchInput> Open => _open;

        public bool IsIdle => _open.Count == 0;

        public bool HasRoomFor(BatchEntry entry) => _engine.HasRoomFor(entry);

        /// <summary>Pipeline thread: starts an input. Call it when <see cref="HasRoomFor"/> its entry.</summary>
        public void Submit(BatchInput input)
        {
            _open.Add(input);
            _engine.Submit(input);
        }

        DownloadTarget IBatchHost.SaveTarget(BatchInput input, int imageIndex, TaskImage image) => _cmdlet.SaveTargetFor(input, imageIndex, image);

        Task IBatchHost.BeforeCreateAsync(CreateTaskRequest request, CancellationToken cancellationToken) =>
            _cmdlet.BeforeCreateAsync(request, cancellationToken);

        void IBatchHost.Created(BatchInput input) => _inbox.Post(() => _cmdlet.OnCreated(input));
        void IBatchHost.Completed(BatchInput input) => _inbox.Post(() => _cmdlet.OnCompleted(input));
        void IBatchHost.Looked(BatchInput input) => _inbox.Post(() => _cmdlet.OnLooked(input));
        void IBatchHost.Saved(BatchInput input, int imageIndex, DownloadedImage image) => _inbox.Post(() => _cmdlet.OnSaved(input, imageIndex, image));
        void IBatchHost.Failed(BatchInput input, BatchFailure failure) => _inbox.Post(() => _cmdlet.OnFailed(input, failure));

        void IBatchHost.Ended(BatchInput input) => _inbox.Post(() =>
        {
            _open.Remove(input);
            _cmdlet.OnEnded(input);
        });
    }
}
