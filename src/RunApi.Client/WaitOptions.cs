using System;

namespace RunApi.Client
{
    /// <summary>How to wait for a task: how long, and how to time the looks. What is known of the task is its
    /// <see cref="Models.PendingTask"/>.</summary>
    internal sealed class WaitOptions
    {
        /// <summary>The RunAPI SDKs' fixed interval (2 s), for callers who want their behaviour.</summary>
        public static readonly TimeSpan SdkPollInterval = TimeSpan.FromSeconds(2);

        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(15);

        /// <summary>
        /// A fixed interval between looks, first look at once (as the SDKs do). Null (the default): the learned
        /// delays, which time the looks to when tasks of the model complete.
        /// </summary>
        public TimeSpan? PollInterval { get; set; }

        /// <summary>The whole wait for one task, from its start.</summary>
        public TimeSpan Timeout { get; set; } = DefaultTimeout;

        /// <summary>
        /// A caller's own bound on looks in flight, shared by the waits it starts (a command's -ThrottleLimit). The
        /// process-wide bound per origin and key holds whatever this is.
        /// </summary>
        public Http.RequestGate? Looks { get; set; }
    }
}
