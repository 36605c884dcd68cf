using System;

namespace RunApi.Client.Polling
{
    /// <summary>
    /// The pauses of one wait, after Azure.Core's DelayStrategy: asked before each look, told what each found; the
    /// service's Retry-After goes on top, in the loop. Ages count from the task's submission, else the wait's start.
    /// </summary>
    internal interface IPollDelay
    {
        /// <summary>How long from now until the next look, the task being <paramref name="age"/> old. Zero: look now.</summary>
        TimeSpan Pause(TimeSpan age);

        /// <summary>A look at <paramref name="age"/> found the task done, or still running.</summary>
        void Looked(TimeSpan age, bool done);
    }

    /// <summary>The SDKs' way: the first look at once, then one every interval.</summary>
    internal sealed class FixedPollDelay : IPollDelay
    {
        private readonly TimeSpan _interval;
        private bool _looked;

        public FixedPollDelay(TimeSpan interval) => _interval = interval;

        public TimeSpan Pause(TimeSpan age) => _looked ? _interval : TimeSpan.Zero;

        public void Looked(TimeSpan age, bool done) => _looked = true;
    }
}
