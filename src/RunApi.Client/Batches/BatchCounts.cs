using System;

namespace RunApi.Client.Batches
{
    /// <summary>
    /// What a batch has done, of the inputs seen so far, and when that is worth showing again. A display may drop
    /// progress records that come in bursts (a bar can sit at "0 of 1" for a minute), so progress is shown on a timer,
    /// at most every <see cref="RefreshInterval"/>, and only when something changed.
    /// <para>
    /// The batch changes the figures under its lock as its work goes; any thread may read them, each on its own.
    /// <see cref="DueText"/> is for one reader: the one that shows the progress.
    /// </para>
    /// </summary>
    internal sealed class BatchCounts
    {
        public static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(250);

        private readonly TimeProvider _time;
        private DateTimeOffset? _shownAt;
        private string? _shown;

        private readonly Func<ReportedProgress>? _reported;

        /// <param name="reported">Reads what RunAPI reports of the tasks generating; without it, nothing is reported.</param>
        public BatchCounts(TimeProvider time, Func<ReportedProgress>? reported = null)
        {
            _time = time ?? throw new ArgumentNullException(nameof(time));
            _reported = reported;
        }

        public int Submitted { get; internal set; }
        public int Created { get; internal set; }
        public int Completed { get; internal set; }
        public int Saved { get; internal set; }
        public int Failed { get; internal set; }

        /// <summary>Inputs that have ended, reaching the goal or not.</summary>
        public int Ended { get; internal set; }

        /// <summary>Tasks being waited for: generating on the server.</summary>
        public int Waiting { get; internal set; }

        /// <summary>What RunAPI reports of the tasks generating, read afresh from their latest answers.</summary>
        public ReportedProgress Reported => _reported?.Invoke() ?? default;

        /// <summary>
        /// The text to show now, or null when nothing changed since it was last shown or it was shown too recently.
        /// </summary>
        public string? DueText(Func<BatchCounts, string> describe)
        {
            // Timed first: describing reads the batch (under its lock), and this runs at every pipeline event.
            var now = _time.GetUtcNow();
            if (_shownAt is { } last && now - last < RefreshInterval) return null;
            var text = describe(this);
            if (text == _shown) return null;
            _shown = text;
            _shownAt = now;
            return text;
        }
    }
}
