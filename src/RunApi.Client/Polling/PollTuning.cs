using System;
using RunApi.Client.Models;

namespace RunApi.Client.Polling
{
    /// <summary>
    /// Every number the polling runs on, each with the measurement that chose it (bench/README.md, "Polling"; the
    /// fake-clock figures are AdaptivePollingTests').
    /// </summary>
    internal static class PollTuning
    {
        /// <summary>
        /// The latest first look at a task, whatever was learned: a service that became faster is seen within this
        /// (shift preset: the first fast burst after 40 s tasks found no later than this after its create).
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

        /// <summary>With nothing learned, the first look: a task of a fast service (or the simulator's) is found within it.</summary>
        public static readonly TimeSpan ColdFirstLook = TimeSpan.FromSeconds(1);

        /// <summary>
        /// With nothing learned, the next look is at this share of the first guess, then at the SDKs' pace: tasks that
        /// start before any completed skip the looks 2 s polling wastes on them (0.72x its looks, 0.475 s median delay on
        /// the fake clock's arrivals batch; 0.75 gave 0.84x, 0.85 a median delay over 0.5 s for 32 tasks sent at once).
        /// </summary>
        public const double ColdSecondLook = 0.8;

        /// <summary>The pace with nothing learned and before the learned window: the SDKs' own, so never slower than they are.</summary>
        public static readonly TimeSpan SparseInterval = TimeSpan.FromSeconds(2);

        /// <summary>The pace in the learned window: a median delay of half this (arrivals preset: 0.3 s against the SDKs' 1.5 s).</summary>
        public static readonly TimeSpan WindowInterval = TimeSpan.FromMilliseconds(600);

        /// <summary>The longest pause between two looks, past the window (a straggler is found within this).</summary>
        public static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(5);

        /// <summary>Past the window each pause is this much longer than the last, up to <see cref="MaxInterval"/>.</summary>
        public const double Backoff = 1.5;

        /// <summary>The window opens where this share of recent tasks was still running (fewer looks before most completions).</summary>
        public const double WindowStart = 0.30;

        /// <summary>It closes a little after this share of recent tasks was done; with a rate limit, a task's one look goes there.</summary>
        public const double WindowEnd = 0.95;

        /// <summary>Completions remembered per origin and model: few, so a change of pace is learned within one burst of tasks.</summary>
        public const int Recent = 16;

        /// <summary>The shortest pause: never a busy loop, whatever the schedule or the service says.</summary>
        public static readonly TimeSpan MinPause = TimeSpan.FromMilliseconds(50);

        /// <summary>The longest pause after looks that failed for good (an outage), Retry-After aside.</summary>
        public static readonly TimeSpan MaxSetbackPause = TimeSpan.FromSeconds(60);
    }
}
