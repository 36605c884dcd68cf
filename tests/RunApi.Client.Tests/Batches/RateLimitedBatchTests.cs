using RunApi.Client.Batches;
using RunApi.Client.Http;
using RunApi.Client.Polling;
using RunApi.Simulator;

namespace RunApi.Client.Tests.Batches;

/// <summary>
/// A batch against a per-key rate limit, on the fake clock the simulator's token bucket shares: the one request budget
/// of the origin and key slows everything down after the first 429s, and no prompt is lost to them.
/// </summary>
[Collection(Alone.Name)]
public class RateLimitedBatchTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Thirty_prompts_under_ten_requests_a_second_all_complete_none_paid_twice_and_few_are_refused()
    {
        // The batch engine at its default bounds on the fake clock that the simulator's token bucket shares: a burst
        // is a burst in both, so the figures below follow from the limit, not from how busy the machine is.
        const double rate = 10;
        const int prompts = 30;
        var generation = TimeSpan.FromSeconds(1);
        await using var h = await BatchHarness.StartAsync(new BatchSettings { Goal = BatchGoal.Complete },
            sim => { sim.RateLimitPerSecond = rate; sim.GenerationTime = generation; }, maxRetries: 4);
        var started = h.Clock.GetUtcNow();

        await h.RunClockWhenIdleUntil(h.SubmitAll(BatchHarness.Prompts(prompts)));
        var took = h.Clock.GetUtcNow() - started;

        var requests = h.Sim.Requests.Where(r => !r.OnFilesOrigin).ToList();
        var refused = requests.Count(r => r.StatusCode == 429);
        var looks = requests.Count(r => r.Method == "GET" && r.StatusCode == 200);
        output.WriteLine($"{took.TotalSeconds:0.0} s, {requests.Count} requests, {refused} refused, {looks} answered looks for {prompts} tasks");
        Assert.Equal(prompts, h.Events.Count("Completed")); // no prompt lost to a 429
        Assert.Empty(h.Events.Failures);
        Assert.Equal(prompts, h.Sim.Tasks.Count);            // and none paid twice
        // The bound follows from the limit and the module's own constants: one create and one look per prompt past the
        // bucket's first burst, sent at the paced rate (the refused rate times RequestBudget.Backoff), one generation,
        // and the longest pause between two looks at a task (the last task may complete just after a look).
        var paced = TimeSpan.FromSeconds((2 * prompts - rate) / (rate * RequestBudget.Backoff));
        var bound = paced + generation + PollTuning.MaxInterval;
        Assert.True(took <= bound, $"took {took.TotalSeconds:0.0} s; the bound is {bound.TotalSeconds:0.0} s");
        // Before a 429 nothing is known of the limit, so the first burst past the bucket is refused; after it the one
        // budget keeps under the limit, so refusals stay a minority of the requests.
        Assert.True(refused * 100 <= requests.Count * 30, $"{refused} of {requests.Count} requests were answered 429");
        // Once paced, a look takes a create's place, so the looks wait until tasks like theirs are done: most tasks are
        // found by their first look, so there are fewer than two answered looks per task.
        Assert.True(looks < 2 * prompts, $"{looks} answered looks for {prompts} tasks");
    }

    [Fact]
    public async Task After_a_429_every_request_waits_its_Retry_After_and_looks_go_before_creates()
    {
        var clock = new Support.ObservableClock();
        var budget = new RequestBudget(clock);
        Assert.True(budget.EnterAsync(look: false, CancellationToken.None).IsCompleted); // no limit seen: no waiting

        budget.Answered(tooMany: true, retryAfter: TimeSpan.FromSeconds(2));
        var create = budget.EnterAsync(look: false, CancellationToken.None);
        var look = budget.EnterAsync(look: true, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(1.9));
        Assert.False(create.IsCompleted || look.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(0.1));
        await look.WaitAsync(TimeSpan.FromSeconds(10));     // the one token at the end of the pause goes to the look
        Assert.False(create.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1 / RequestBudget.MinRate));
        await create.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1 * RequestBudget.Backoff, budget.Rate!.Value, 3); // one request in the last second, 0.7 of it
    }
}

/// <summary>
/// Tests that drive a fake clock from many waits at once: run after the others, not beside them, so that a thread pool
/// busy with other tests cannot hold up the continuations the clock driver waits for.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Alone
{
    public const string Name = "Alone";
}
