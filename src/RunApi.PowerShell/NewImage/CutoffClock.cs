using System;
using System.Diagnostics;

namespace RunApi.PowerShell.NewImage
{
    /// <summary>
    /// -MaxDuration: a time box a scheduler can rely on. From the command's start, creates are sent until the deadline and
    /// none after it; tasks already paid for are waited for and saved for a short grace past it (a tenth of the duration,
    /// at most 30 seconds); then the command stops, and what is left stays in the job (Pending, NotSent) for a resume.
    /// </summary>
    internal sealed class CutoffClock
    {
        public static readonly TimeSpan MaxGrace = TimeSpan.FromSeconds(30);

        private readonly Stopwatch _elapsed = Stopwatch.StartNew();
        private readonly TimeSpan? _max;

        public CutoffClock(TimeSpan? maxDuration)
        {
            _max = maxDuration;
            Grace = maxDuration is { } max ? TimeSpan.FromTicks(Math.Min(MaxGrace.Ticks, max.Ticks / 10)) : TimeSpan.Zero;
        }

        public TimeSpan Grace { get; }

        /// <summary>The deadline has come: no create is sent any more.</summary>
        public bool CreatesClosed => _max is { } max && _elapsed.Elapsed >= max;

        /// <summary>The grace is over too: the command stops waiting.</summary>
        public bool Over => _max is { } max && _elapsed.Elapsed >= max + Grace;

        /// <summary>Rows the deadline kept from being sent.</summary>
        public int RowsCut { get; private set; }

        /// <summary>
        /// Whether a create may be sent: at once without a time box; with one, once a place is free (<paramref name="room"/>,
        /// waited for by <paramref name="pump"/>) before the deadline. One it keeps back is counted.
        /// </summary>
        public bool Admits(Func<bool> room, Action<Func<bool>> pump)
        {
            if (_max is null) return true;
            if (!CreatesClosed) pump(() => room() || CreatesClosed);
            if (!CreatesClosed) return true;
            RowsCut++;
            return false;
        }
    }
}
