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
        private readonly ProgressRecord _record;

        public ProgressTracker(Cmdlet cmdlet, string activity, BatchCounts counts, Func<BatchCounts, string> describe)
        {
            _cmdlet = cmdlet;
            _counts = counts;
            _describe = describe;
            _record = new ProgressRecord(1, activity, "Starting");
        }

        public void Refresh()
        {
            var text = _counts.DueText(_describe);
            if (text is null) return;
            _record.StatusDescription = text;
            _record.PercentComplete = _counts.Submitted == 0 ? 0 : (int)(100L * _counts.Ended / _counts.Submitted);
            _cmdlet.WriteProgress(_record);
        }

        public void Complete()
        {
            if (_counts.Submitted == 0) return;
            _record.RecordType = ProgressRecordType.Completed;
            _record.StatusDescription = _describe(_counts);
            _record.PercentComplete = 100;
            try
            {
                _cmdlet.WriteProgress(_record);
            }
            catch (PipelineStoppedException)
            {
                // Stopped: the host clears progress itself.
            }
        }
    }
}
