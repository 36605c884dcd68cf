using System;
using System.Management.Automation;
using RunApi.Client.Batches;

namespace RunApi.PowerShell.Infrastructure
{
    /// <summary>
    /// The one progress bar of a call, refreshed on the runner's tick when the counts have changed (at most every
    /// <see cref="BatchCounts.RefreshInterval"/>), and completed at the end. Pipeline thread only.
    /// </summary>
    internal sealed class ProgressTracker
    {
        private readonly Cmdlet _cmdlet;
        private readonly BatchCounts _counts;
        private readonly Func<BatchCounts, string> _describe;
        private readonly string _activity;

        public ProgressTracker(Cmdlet cmdlet, string activity, BatchCounts counts, Func<BatchCounts, string> describe)
        {
            _cmdlet = cmdlet;
            _counts = counts;
            _describe = describe;
            _activity = activity;
        }

        // A new record each time: a host may keep the records it was given.
        public void Refresh()
        {
            var text = _counts.DueText(_describe);
            if (text is null) return;
            _cmdlet.WriteProgress(new ProgressRecord(1, _activity, text)
            {
                PercentComplete = _counts.Submitted == 0 ? 0 : (int)(100L * _counts.Ended / _counts.Submitted),
            });
        }

        public void Complete()
        {
            if (_counts.Submitted == 0) return;
            var record = new ProgressRecord(1, _activity, _describe(_counts)) { RecordType = ProgressRecordType.Completed, PercentComplete = 100 };
            try
            {
                _cmdlet.WriteProgress(record);
            }
            catch (PipelineStoppedException)
            {
                // Stopped: the host clears progress itself.
            }
        }
    }
}
