using System.Threading;
using System.Threading.Tasks;

namespace RunApi.Client.Batches
{
    /// <summary>
    /// Where a batch records what becomes of each input that has a <see cref="BatchInput.JournalRow"/>, from the
    /// batch's own work (so a create answered while the command stops is still recorded).
    /// </summary>
    internal interface IBatchJournal
    {
        /// <summary>Completes once the row's accepted line is on disk; the create is sent only then.</summary>
        Task AcceptedAsync(BatchInput input, CancellationToken cancellationToken);

        void Created(BatchInput input);
        void Completed(BatchInput input);
        void Saved(BatchInput input, int imageIndex, string path);
        void Failed(BatchInput input, BatchFailure failure);
    }
}
