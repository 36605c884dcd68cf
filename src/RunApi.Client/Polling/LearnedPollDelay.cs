using System;

namespace RunApi.Client.Polling
{
    /// <summary>
    /// Pauses timed to when recent tasks of the model completed on this origin: a first look no later than the model's
    /// first guess, growing pauses up to the window where most of them completed, its pace through it, growing pauses
    /// past it. Under a rate limit the window moves to where nearly all were done, so that one look finds most tasks.
    /// </summary>
    internal sealed class LearnedPollDelay : IPollDelay
    {
        private readonly CompletionTimes _seen;
        private readonly TimeSpan _guess;
        private readonly TimeSpan _limit;
        private readonly Func<bool> _paced;
        private bool _looked;
        private bool _firstLookEarly;
        private TimeSpan? _lastUnfinished;
        private TimeSpan _lead;
        private TimeSpan _tail;

        /// <param name="limit">The wait's timeout: no learned time past it is used, nor learned.</param>
        /// <param name="paced">True while a rate limit paces the origin's requests.</param>
        public LearnedPollDelay(CompletionTimes seen, string? model, TimeSpan limit, Func<bool> paced)
        {
            _seen = seen;
            _guess = PollTuning.FirstGuess(model);
            _limit = limit;
            _paced = paced;
        }

        public TimeSpan Pause(TimeSpan age)
        {
            var window = Plan();
            if (!_looked)
            {
                // A wait that begins later than its first look was due (a resumed or piped task) learns nothing from it.
                // Nor does a paced one: its window is late because looks wait their turn, not because tasks are slow.
                _firstLookEarly = window.First < window.Start && age <= window.First + PollTuning.WindowInterval && !_paced();
                return Until(window.First, age);
            }
            // Cold: the SDKs' pace from 0.8 of the guess. Before a window: growing pauses, landing on its start.
            if (window.Start >= _limit) return Until(Max(age + PollTuning.SparseInterval, Times(_guess, PollTuning.ColdSecondLook)), age);
            if (age < window.Start - Half(PollTuning.WindowInterval))
            {
                _lead = _lead == TimeSpan.Zero ? PollTuning.SparseInterval : Min(Times(_lead, PollTuning.Backoff), PollTuning.MaxInterval);
                return Until(Min(age + _lead, window.Start), age);
            }
            if (age < window.End) return PollTuning.WindowInterval;
            _tail = _tail == TimeSpan.Zero ? PollTuning.WindowInterval : Min(Times(_tail, PollTuning.Backoff), PollTuning.MaxInterval);
            return _tail;
        }

        public void Looked(TimeSpan age, bool done)
        {
            var first = !_looked;
            _looked = true;
            if (!done)
            {
                if (age <= _limit) _seen.RecordRunning(age);
                _lastUnfinished = age;
                return;
            }
            // Learned: the last age at which the task was seen running, a lower bound that cannot drift past the
            // completions it learns from (from a sparse look, only what a window look would have seen).
            if (_lastUnfinished is { } unfinished) _seen.Record(Max(unfinished, age - PollTuning.WindowInterval).TotalSeconds, _limit);
            // Done at a look before the window (the first guess, or the cold look): tasks got faster, and when is not
            // known. Learned as nearly at once, so that the next tasks look from the start and find out.
            else if (first && _firstLookEarly) _seen.Record(Half(PollTuning.WindowInterval).TotalSeconds, _limit);
            // Done at the window's first look: the window may open a little earlier. Under a rate limit, where one look
            // per task is the aim, only by half a look, so that the window does not creep forward into second looks.
            else if (first) _seen.Record((age - Times(PollTuning.WindowInterval, _paced() ? 0.5 : 1.5)).TotalSeconds, _limit);
        }

        private static TimeSpan Until(TimeSpan look, TimeSpan age) => look > age ? look - age : TimeSpan.Zero;
        private static TimeSpan Half(TimeSpan span) => TimeSpan.FromTicks(span.Ticks / 2);
        private static TimeSpan Times(TimeSpan span, double factor) => TimeSpan.FromTicks((long)(span.Ticks * factor));
        private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
        private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

        /// <summary>The first look, and the window's start and end, as ages from submission: all within the wait's timeout.</summary>
        private (TimeSpan First, TimeSpan Start, TimeSpan End) Plan()
        {
            if (_seen.Quantiles(PollTuning.WindowStart, PollTuning.WindowEnd) is not var (early, late))
            {
                // No window. Once a task was seen running at 1 s or later, younger ones look from the second cold look.
                var running = _seen.LongestRunning;
                var first = running >= PollTuning.ColdFirstLook
                    ? Min(_guess, Max(Times(_guess, PollTuning.ColdSecondLook), running))
                    : PollTuning.ColdFirstLook;
                return (Min(first, _limit), _limit, _limit);
            }
            var twoLooks = Times(PollTuning.WindowInterval, 2);
            var start = Min(_paced() ? late + Half(PollTuning.WindowInterval) : early, _limit);
            return (Min(_guess, start), start, Min(Max(late, start) + twoLooks, _limit));
        }
    }
}
