using System;
using RunApi.Client.Models;

namespace RunApi.Client.Polling
{
    /// <summary>
    /// When to look at a task next, given how long ago it was submitted. The SDKs poll every 2 s from the start, so
    /// they find a task about 1 s after it completes and ask 6 to 7 times for a 10 s task. This schedule waits until
    /// the earliest completions seen for the model, looks every 0.8 s through the window where tasks of that model
    /// complete (finding each about 0.4 s after it completes), and backs off past it, so it asks less and finds sooner.
    /// </summary>
    internal sealed class PollSchedule
    {
        /// <summary>The gap between looks inside the completion window: twice the median detection delay it gives.</summary>
        public static readonly TimeSpan WindowInterval = TimeSpan.FromMilliseconds(800);

        private static readonly TimeSpan MaxTailInterval = TimeSpan.FromSeconds(5);
        private const int ObservationsToTrust = 2;

        /// <summary>
        /// The pace before anything is learned: a little sparser than the window's, far denser than the SDKs' 2 s, so
        /// a batch that starts together is found quickly before it has taught the schedule anything.
        /// </summary>
        private static readonly TimeSpan GuessInterval = TimeSpan.FromMilliseconds(900);

        private readonly TimeSpan _windowStart;
        private readonly TimeSpan _windowEnd;
        private readonly TimeSpan _interval;

        private PollSchedule(TimeSpan windowStart, TimeSpan windowEnd, TimeSpan interval)
        {
            _windowStart = windowStart;
            _windowEnd = windowEnd;
            _interval = interval;
        }

        /// <summary>True once the schedule rests on what was learned rather than on the first guess.</summary>
        public bool IsLearned { get; private set; }

        /// <summary>The schedule for a task of this model, from what the process has seen, or the first guess.</summary>
        public static PollSchedule For(CompletionTimes seen, string? model)
        {
            if (seen.Count >= ObservationsToTrust)
            {
                // What is recorded is the last look before each completion, up to one look before it. Starting at the
                // fifth of those that came earliest, the tasks already done at the first look are found within a look
                // anyway, and the looks before the first completions are saved.
                var late = seen.Quantile(0.95)!.Value + WindowInterval + WindowInterval;
                return new PollSchedule(seen.Quantile(0.20)!.Value, late, WindowInterval) { IsLearned = true };
            }
            // Nothing learned yet: from half the guess, at a sparser pace. Dense looks pay only where the window is known;
            // the waiter re-plans at every look, so these tasks move to the learned window after two completions.
            // No task of this model has been seen done before the oldest one seen running: a younger one need not look
            // before that age (a look early, as the older one will look then too).
            // Counted only up to the guess's window end, so that one stuck task cannot delay every look after it.
            var guess = FirstGuess(model);
            var start = TimeSpan.FromTicks(guess.Ticks / 2);
            var end = TimeSpan.FromTicks(guess.Ticks * 2);
            var survived = (seen.LongestUnfinished < end ? seen.LongestUnfinished : end) - GuessInterval;
            if (survived > start) start = survived;
            return new PollSchedule(start, end, GuessInterval);
        }

        /// <summary>
        /// Typical generation times to start from before anything is learned. Guesses by model class (fast, standard,
        /// ultra, remix): the schedule looks from half to twice this, then learns the real figures.
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

        /// <summary>The shortest pause handed out: anything less is looking again at once.</summary>
        public static readonly TimeSpan MinPause = TimeSpan.FromMilliseconds(50);

        /// <summary>The wait before the first look: none once the window has (all but) begun.</summary>
        public TimeSpan FirstPause(TimeSpan age) => _windowStart - age > MinPause ? _windowStart - age : TimeSpan.Zero;

        public bool IsBeforeWindowEnd(TimeSpan age) => age < _windowEnd;

        /// <summary>How long to wait before the next look, <paramref name="age"/> after submission.</summary>
        public TimeSpan NextPause(TimeSpan age)
        {
            // Before the window, wait for it, unless it is less than half a look away: then the window's pace holds.
            if (_windowStart - age > TimeSpan.FromTicks(_interval.Ticks / 2)) return _windowStart - age;
            if (age < _windowEnd) return _interval;
            // Past the window: a slow task. Back off by half again for each window length overdue, capped.
            var overdue = (age - _windowEnd).TotalSeconds / Math.Max(1, (_windowEnd - _windowStart).TotalSeconds);
            var grown = _interval.TotalSeconds * Math.Pow(1.5, 1 + overdue);
            return TimeSpan.FromSeconds(Math.Min(grown, MaxTailInterval.TotalSeconds));
        }
    }
}
