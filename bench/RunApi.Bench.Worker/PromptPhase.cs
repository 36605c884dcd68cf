using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RunApi.Bench.Protocol;

namespace RunApi.Bench.Worker
{
    /// <summary>One phase of a worker's prompts: indices First to First + Count - 1, arriving by the schedule from the phase's start.</summary>
    internal sealed class PromptPhase
    {
        private readonly ArrivalSchedule _schedule;

        public PromptPhase(int number, int first, int count, ArrivalSchedule schedule)
        {
            Number = number;
            First = first;
            Count = count;
            _schedule = schedule;
        }

        public int Number { get; }
        public int First { get; }
        public int Count { get; }

        public IEnumerable<int> Indices => Enumerable.Range(First, Count);

        public PromptRecord NewRecord(int index) => new PromptRecord { Index = index, Phase = Number, ArrivedAt = _schedule.ArrivalOf(index - First) };

        public Task WaitForArrivalAsync(int index, CancellationToken cancellationToken) => _schedule.WaitForArrivalAsync(index - First, cancellationToken);
    }
}
