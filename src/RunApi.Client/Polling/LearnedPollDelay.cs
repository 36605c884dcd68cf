using System;
using System.Threading;

namespace RunApi.Client.Polling
{
    /// <summary>
    /// Pauses timed to when tasks of the model complete on this origin (<see cref="PollSchedule"/>), and what this
    /// wait's looks teach about that. Before anything is learned, a wait either scouts (looks for itself) or stands by
    /// until the scouts have seen a completion, a scout's place frees up, or it has waited as long as the first guess
    /// allows.
    /// </summary>
    internal sealed class LearnedPollDelay : IPollDelay
    {
        /// <summary>Longer gaps between the last two looks (the task was waited for late) say little: not learned.</summary>
        private static readonly TimeSpan MaxLearningGap = TimeSpan.FromSeconds(5);

        private readonly CompletionTimes _seen;
        private readonly string? _model;
        private readonly bool _knowsSubmission;
        private readonly Func<bool> _scarce;
        private PollSchedule? _schedule;
        private CompletionTimes.Scout? _scout;
        private bool _looked;
        private TimeSpan? _lastUnfinished;
        private CancellationToken _news;

        /// <param name="knowsSubmission">
        /// Ages count from the task's submission: the first look may wait for tasks like it to finish, and what the
        /// looks find is learned. Otherwise they count from the wait's start, and the first look is at once.
        /// </param>
        /// <param name="scarce">True while a rate limit paces the origin's requests.</param>
        public LearnedPollDelay(CompletionTimes seen, string? model, bool knowsSubmission, Func<bool> scarce)
        {
            _scarce = scarce;
            _seen = seen;
            _model = model;
            _knowsSubmission = knowsSubmission;
        }

        public CancellationToken News => _news;

        public TimeSpan Pause(TimeSpan age)
        {
            _news = CancellationToken.None;
            var news = _seen.News; // taken before the state it signals changes of, so that no change falls between
            var scouting = !_looked && _knowsSubmission && _seen.Count == 0;
            if (scouting && _scout is null && (_scout = _seen.TryEnlistScout()) is null)
            {
                var untilLimit = PollSchedule.StandByLimit(_model) - age;
                if (untilLimit > PollSchedule.MinPause)
                {
                    _news = news;
                    return untilLimit;
                }
            }
            // Probes: for the lead scout, and for a task whose age is unknown (it may be young).
            var schedule = _schedule = PollSchedule.For(_seen, _model, _scarce(), probes: !_knowsSubmission || _scout is { Leads: true });
            if (_looked) return schedule.NextPause(age);
            return _knowsSubmission ? schedule.FirstPause(age) : TimeSpan.Zero;
        }

        public void Looked(TimeSpan age, bool done)
        {
            _looked = true;
            if (!_knowsSubmission) return;
            if (!done)
            {
                _lastUnfinished = age;
                _seen.RecordUnfinished(age);
                return;
            }
            Learn(age);
        }

        /// <summary>
        /// Records the last age at which the task was seen unfinished: it completed within one look after that. That
        /// lower bound is what the schedule needs (when to start looking) and, unlike a midpoint, cannot drift past
        /// the completions it learns from. A task already done at the first look completed before it: one and a half
        /// window looks earlier is recorded, which moves the window forward.
        /// </summary>
        private void Learn(TimeSpan doneAge)
        {
            if (_lastUnfinished is { } unfinished)
            {
                // From looks further apart than the window's pace (the first guess, a setback), keep only what a
                // window-paced look would have seen: one window interval before the completion at the latest.
                var paced = doneAge - PollSchedule.WindowInterval;
                if (doneAge - unfinished <= MaxLearningGap) _seen.Record(unfinished > paced ? unfinished : paced);
            }
            else if (_schedule is null || _schedule.IsBeforeWindowEnd(doneAge))
            {
                var earlier = doneAge - TimeSpan.FromTicks(PollSchedule.WindowInterval.Ticks * 3 / 2);
                _seen.Record(earlier > TimeSpan.Zero ? earlier : TimeSpan.Zero);
            }
        }

        public void Dispose()
        {
            _scout?.Dispose();
            _scout = null;
        }
    }
}
