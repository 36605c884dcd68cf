using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RunApi.Bench.Protocol;

namespace RunApi.Bench.Worker
{
    /// <summary>One way of turning N prompts into saved images: our client core, or the SDK-like baseline.</summary>
    internal interface IClientRun
    {
        /// <summary>
        /// Whole prompts (create, wait, download), one after the other, with <paramref name="model"/> (which the
        /// simulator completes at once) before measuring. The first calls' costs (JIT, then re-JIT of hot methods,
        /// first connections) would otherwise be spread over the measured prompts: a baseline of 6 prompts and our
        /// client with 1,000 then compare per image on equal terms. Throws if a prompt fails.
        /// </summary>
        Task WarmUpAsync(string model, int prompts, CancellationToken cancellationToken);

        /// <summary>The phase's prompts, each when it arrives; returns when every one is saved or has failed.</summary>
        Task<IReadOnlyList<PromptRecord>> RunAsync(PromptPhase phase, CancellationToken cancellationToken);
    }
}
