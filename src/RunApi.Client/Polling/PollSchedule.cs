using System;
using System.Linq;
using RunApi.Client.Models;

namespace RunApi.Client.Polling
{
    /// <summary>
    /// When to look at a task next, given how long ago it was submitted. The SDKs poll every 2 s from the start, so
    /// they find a task about 1 s after it completes and ask 6 to 7 times for a 10 s task. Once tasks of the model
    /// have completed, this schedule looks every 0.6 s through the window where most tasks of that model complete
    /// (finding each about 0.3 s after it completes), every 2 s in a lead-in before it, and backs off past it.
    /// Before anything is learned, only scouts look (see <see cref="CompletionTimes.MaxScouts"/>), on a sparser
    /// schedule built around a first guess.
    /// </summary>
    internal sealed class PollSchedule
    {
        /// <summary>The gap between looks inside the completion window: twice the median detection delay it gives.</summary>
        public static readonly TimeSpan WindowInterval = TimeSpan.FromMilliseconds(600);

        /// <summary>The shortest pause handed out: anything less is looking again at once.</summary>
        public static readonly TimeSpan MinPause = TimeSpan.FromMilliseconds(50);

        /// <summary>The longest pause between two looks at a task.</summary>
        internal static readonly TimeSpan MaxTailInterval = TimeSpan.FromSeconds(5);

        /// <summary>The pace before the window, where the earliest completions fall: sparser, yet denser than the SDKs'.</summary>
        public static readonly TimeSpan LeadInInterval = TimeSpan.FromSeconds(2);

        /// <summary>Observations after which the window may close before the first guess's does.</summary>
        private const int ObservationsToSettle = 32;

        /// <summary>
        /// The scouts' pace: sparser than the window's, since the scouts look where nothing is known yet, but dense
        /// enough that the tasks standing by hear of the first completion soon after it.
        /// </summary>
        private static readonly TimeSpan ScoutInterval = TimeSpan.FromMilliseconds(1400);

        /// <summary>
        /// Early looks a scout takes before its guessed window: if the service is much faster than the guess, the
        /// batch learns so at 1, 2.5 or 4 s instead of finding every task late.
        /// </summary>
        private static readonly TimeSpan[] ScoutProbes = { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(4) };

        private readonly TimeSpan[] _probes;
        private readonly TimeSpan _leadInStart;
        private readonly TimeSpan _windowStart;
        private readonly TimeSpan _windowEnd;
        private readonly TimeSpan _interval;

        private PollSchedule(TimeSpan[] probes, TimeSpan leadInStart, TimeSpan windowStart, TimeSpan windowEnd, TimeSpan interval)
        {
            _probes = probes;
            _leadInStart = leadInStart;
            _windowStart = windowStart;
            _windowEnd = windowEnd;
            _interval = interval;
        }

        /// <summary>True once the schedule rests on completions seen rather than on the first guess.</summary>
        public bool IsLearned { get; private set; }

        /// <summary>The schedule for a task of this model: learned from what the process has seen, or a scout's.</summary>
        /// <param name="probes">A scout's schedule takes the early probes (one scout takes them for all).</param>
        /// <param name="scarce">
        /// Requests are paced by a rate limit: each look takes the place of a create. The window then opens where
        /// nearly every task seen was done, so that most tasks are found by their first look.
        /// </param>
        public static PollSchedule For(CompletionTimes seen, string? model, bool scarce = false, bool probes = true)
        {
            if (seen.Count > 0 && scarce)
            {
                var late = seen.Quantile(0.95)!.Value + TimeSpan.FromTicks(WindowInterval.Ticks / 2);
                return new PollSchedule(Array.Empty<TimeSpan>(), late, late, late + WindowInterval + WindowInterval, WindowInterval) { IsLearned = true };
            }
            if (seen.Count > 0)
            {
                // What is recorded is the last look before each completion, up to one look before it. The window opens
                // at the earliest 30 % of those, which saves the looks before most completions. The tasks done before
                // it are found by a lead-in of sparser looks, which reaches back 40 % of the window's length: nothing
                // where completions spread over a few seconds, a few looks where they spread widely.
                var start = seen.Quantile(0.30)!.Value;
                var end = Max(seen.Quantile(0.95)!.Value + WindowInterval + WindowInterval, start + WindowInterval + WindowInterval);
                var leadIn = start - TimeSpan.FromTicks((end - start).Ticks * 2 / 5);
                var settled = seen.Count >= ObservationsToSettle;
                // The first completions of a batch are its fastest: until there are enough, keep the window open at
                // least as long as the guess's, rather than backing off from tasks that are merely typical.
                if (!settled) end = Max(end, StandByLimit(model));
                return new PollSchedule(Array.Empty<TimeSpan>(), leadIn, start, end, WindowInterval) { IsLearned = true };
            }

            // A scout: a probe or two early (the lead scout), then from 0.75 of the guess to twice it at the scouts' pace.
            // Nothing of this model has been seen done, and one was seen still running at LongestUnfinished: a younger
            // scout need not look before about that age, as the older one looks there too. Counted only up to the
            // guess's window end, so that one stuck task cannot delay every look after it.
            var windowStart = TimeSpan.FromTicks(FirstGuess(model).Ticks * 3 / 4);
            var windowEnd = StandByLimit(model);
            var survived = Min(seen.LongestUnfinished, windowEnd) - ScoutInterval;
            if (survived > windowStart) windowStart = survived;
            var early = probes ? ScoutProbes.Where(p => p < windowStart && p > seen.LongestUnfinished).ToArray() : Array.Empty<TimeSpan>();
            return new PollSchedule(early, windowStart, windowStart, windowEnd, ScoutInterval);
        }

        /// <summary>
        /// Typical generation times to start from before anything is learned. Guesses by model class (fast, standard,
        /// ultra, remix): the scouts look from 0.75 to twice this, then everyone learns the real figures.
        /// </summary>
        public static TimeSpan FirstGuess(string? model)
        {
            switch (model)
            {
                case ImagenVariants.Fast: return TimeSpan.FromSeconds(4);
                case ImagenVariants.Ultra: return TimeSpan.FromSeconds(10);
                case ImagenVariants.ProRemix: return TimeSpan.FromSeconds(12);
                default: return TimeSpan.FromSeconds(7);
            }
        }

        /// <summary>
        /// The age up to which a task that is not a scout waits for the scouts: twice the first guess. Past it, it
        /// looks for itself, in case the scouts are stuck on slow tasks.
        /// </summary>
        public static TimeSpan StandByLimit(string? model) => TimeSpan.FromTicks(FirstGuess(model).Ticks * 2);

        /// <summary>The wait before the first look: none once the next planned look is (all but) due.</summary>
        public TimeSpan FirstPause(TimeSpan age)
        {
            var due = NextPlannedLook(age) - age;
            return due > MinPause ? due : TimeSpan.Zero;
        }

        public bool IsBeforeWindowEnd(TimeSpan age) => age < _windowEnd;

        /// <summary>How long to wait before the next look, <paramref name="age"/> after submission.</summary>
        public TimeSpan NextPause(TimeSpan age)
        {
            // Before the window, the next probe or lead-in look, unless the window is less than half a look away: then
            // the window's pace holds.
            if (_windowStart - age > TimeSpan.FromTicks(_interval.Ticks / 2)) return NextPlannedLook(age + MinPause) - age;
            if (age < _windowEnd) return _interval;
            // Past the window: a slow task. Back off by half again for each window length overdue, capped.
            var overdue = (age - _windowEnd).TotalSeconds / Math.Max(1, (_windowEnd - _windowStart).TotalSeconds);
            var grown = _interval.TotalSeconds * Math.Pow(1.5, 1 + overdue);
            return TimeSpan.FromSeconds(Math.Min(grown, MaxTailInterval.TotalSeconds));
        }

        /// <summary>The first look planned at or after <paramref name="age"/>, up to the window's start.</summary>
        private TimeSpan NextPlannedLook(TimeSpan age)
        {
            foreach (var probe in _probes)
            {
                if (probe >= age) return probe;
            }
            if (age >= _windowStart) return _windowStart;
            // Lead-in looks are counted back from the window's start, so that one of them lands on it.
            var from = Max(age, _leadInStart);
            var steps = (from < _windowStart ? _windowStart - from : TimeSpan.Zero).Ticks / LeadInInterval.Ticks;
            return _windowStart - TimeSpan.FromTicks(steps * LeadInInterval.Ticks);
        }

        private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

        private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
    }
}
