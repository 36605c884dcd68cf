using System.Management.Automation;

namespace RunApi.PowerShell.Infrastructure
{
    /// <summary>
    /// One progress bar for a whole call (done of total, failed count). Pipeline thread only; Complete clears it.
    /// </summary>
    internal sealed class ProgressTracker
    {
        private readonly Cmdlet _cmdlet;
        private readonly ProgressRecord _record;
        private int _total;
        private int _done;
        private int _failed;

        public ProgressTracker(Cmdlet cmdlet, int activityId, string activity)
        {
            _cmdlet = cmdlet;
            _record = new ProgressRecord(activityId, activity, "Starting");
        }

        public void Add() { _total++; Write(); }
        public void Succeeded() { _done++; Write(); }
        public void Failed() { _failed++; Write(); }

        public void Complete()
        {
            if (_total == 0) return;
            _record.RecordType = ProgressRecordType.Completed;
            _record.StatusDescription = Status();
            try
            {
                _cmdlet.WriteProgress(_record);
            }
            catch (PipelineStoppedException)
            {
                // Stopped: the host clears progress itself.
            }
        }

        private void Write()
        {
            var finished = _done + _failed;
            _record.StatusDescription = Status();
            _record.PercentComplete = _total == 0 ? 0 : (int)(100L * finished / _total);
            _cmdlet.WriteProgress(_record);
        }

        private string Status() => $"{_done + _failed} of {_total} done, {_failed} failed";
    }
}
