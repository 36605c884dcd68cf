using System;

namespace RunApi.Client.Polling
{
    /// <summary>How long and how often to poll a task. Defaults are the RunAPI SDKs' (contract §5.1).</summary>
    public sealed class WaitOptions
    {
        public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(2);
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(15);

        public TimeSpan PollInterval { get; set; } = DefaultPollInterval;

        /// <summary>The whole wait for one task, from its first poll.</summary>
        public TimeSpan Timeout { get; set; } = DefaultTimeout;
    }
}
