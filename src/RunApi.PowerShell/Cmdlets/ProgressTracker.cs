using System;
using System.Globalization;
using System.Management.Automation;
using RunApi.Client.Batches;

namespace RunApi.PowerShell.Cmdlets
{
    /// <summary>
    /// The one progress bar of a call, refreshed on the inbox's tick when the counts have changed (at most every
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
            _cmdlet.WriteProgress(new ProgressRecord(1, _activity, text) { PercentComplete = Percent(_counts) });
        }

        /// <summary>
        /// Each input that ended counts whole, each task generating as far as RunAPI reports it along (one at 80% of one
        /// task is 80%), the rest nothing.
        /// </summary>
        private static int Percent(BatchCounts counts)
        {
            if (counts.Submitted == 0) return 0;
            var done = (100.0 * counts.Ended + counts.Reported.TotalPercent) / counts.Submitted;
            return (int)Math.Min(100, done);
        }

        /// <summary>
        /// "3 generating", with what RunAPI reports of them where it does: "1 generating (80%)", "2 generating (40% on
        /// average)", or, when only some report, "3 generating (2 at 40% on average)".
        /// </summary>
        public static string Generating(BatchCounts counts)
        {
            var text = $"{counts.Waiting} generating";
            var reported = counts.Reported;
            if (reported.MeanPercent is not { } mean) return text;
            var percent = mean.ToString("0", CultureInfo.InvariantCulture) + "%";
            if (reported.Tasks >= counts.Waiting) return text + (reported.Tasks == 1 ? $" ({percent})" : $" ({percent} on average)");
            return text + (reported.Tasks == 1 ? $" (1 at {percent})" : $" ({reported.Tasks} at {percent} on average)");
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
