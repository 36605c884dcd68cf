using System;
using System.Threading;
using System.Threading.Tasks;

namespace RunApi.Bench.Worker
{
    /// <summary>
    /// When each prompt arrives: prompt i at start + i × interval (all at start when the interval is zero). Prompts that
    /// arrive over time are how a long-running caller feeds work in, e.g. rows streaming down a pipeline.
    /// </summary>
    internal sealed class ArrivalSchedule
    {
        private readonly TimeSpan _interval;

        public ArrivalSchedule(DateTimeOffset start, TimeSpan interval)
        {
            Start = start;
            _interval = interval;
        }

        public DateTimeOffset Start { get; }

        public DateTimeOffset ArrivalOf(int index) => Start + TimeSpan.FromTicks(_interval.Ticks * index);

        /// <summary>Returns at once if the prompt has already arrived.</summary>
        public Task WaitForArrivalAsync(int index, CancellationToken cancellationToken)
        {
            var wait = ArrivalOf(index) - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? Task.Delay(wait, cancellationToken) : Task.CompletedTask;
        }
    }
}
