using System;
using RunApi.Client.Models;

namespace RunApi.Client.Polling
{
    /// <summary>Every number the polling runs on, each with the figure that chose it (AdaptivePollingTests on the fake clock; bench/README.md).</summary>
    internal static class PollTuning
    {
        /// <summary>The latest first look, whatever was learned: the shift test's first fast burst is found within it.</summary>
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

        /// <summary>With nothing learned, the first look: a fast service's task (the simulator's in tests) is found within a second.</summary>
        public static readonly TimeSpan ColdFirstLook = TimeSpan.FromSeconds(1);

        /// <summary>Then the next from this share of the first guess: the arrivals batch at 0.72x the SDKs' looks (0.84x at 0.75; 0.85 put 32 tasks sent at once over 0.5 s median delay).</summary>
        public const double ColdSecondLook = 0.8;

        /// <summary>The SDKs' pace: with nothing learned, and the first pause before a learned window.</summary>
        public static readonly TimeSpan SparseInterval = TimeSpan.FromSeconds(2);

        /// <summary>The pace in the window: a median delay of 0.3-0.4 s (0.7 s: at-once batches over 0.5 s; 0.65 s: arrivals at 0.84x).</summary>
        public static readonly TimeSpan WindowInterval = TimeSpan.FromMilliseconds(600);

        /// <summary>The longest pause, before and past the window: 20-40 s tasks at 0.87x the SDKs' looks, found within 5 s.</summary>
        public static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(5);

        /// <summary>Outside the window each pause is this much longer than the last (up to <see cref="MaxInterval"/>).</summary>
        public const double Backoff = 1.5;

        /// <summary>The window opens where this share of recent tasks was done: 0.64-0.76x the looks once learned (0.4 saved nothing cold).</summary>
        public const double WindowStart = 0.30;

        /// <summary>It ends two looks past this share; with a rate limit, a task's one look goes just past it.</summary>
        public const double WindowEnd = 0.95;

        /// <summary>Completions remembered per origin and model: few, so that a change of pace is learned within one burst (shift test).</summary>
        public const int Recent = 16;

        /// <summary>The shortest pause: never a busy loop, whatever the schedule or the service says.</summary>
        public static readonly TimeSpan MinPause = TimeSpan.FromMilliseconds(50);

        /// <summary>The longest pause after looks that failed for good (an outage), Retry-After aside.</summary>
        public static readonly TimeSpan MaxSetbackPause = TimeSpan.FromSeconds(60);
    }
}
