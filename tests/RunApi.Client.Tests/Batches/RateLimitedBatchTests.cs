using RunApi.Client.Http;
using RunApi.Simulator;

namespace RunApi.Client.Tests.Batches;

/// <summary>
/// A batch against a per-key rate limit, on the fake clock the simulator's token bucket shares: the one request budget
/// of the origin and key slows everything down after the first 429s, and no prompt is lost to them.
/// </summary>
public class RateLimitedBatchTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Thirty_prompts_under_ten_requests_a_second_all_complete_none_paid_twice_and_few_are_refused()
    {
        // Real time: the point is how requests cluster when many tasks wait at once, which a fake clock would flatten.
        await using var simulator = await RunApiSimulator.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.FromSeconds(1), RateLimitPerSecond = 10 });
        var client = Support.Clients.For(simulator, maxRetries: 4);

        using var createStage = new SemaphoreSlim(8); // the batch engine's default bound on creates in flight
        var prompts = Enumerable.Range(0, 30).Select(async i =>
        {
            Models.CreatedTask created;
            await createStage.WaitAsync();
            try
            {
                created = await client.CreateAsync(new Models.TextToImageRequest($"prompt {i}"));
            }
            finally
            {
                createStage.Release();
            }
            return await client.WaitAsync(created);
        });
        var done = await Task.WhenAll(prompts).WaitAsync(TimeSpan.FromMinutes(2));

        var requests = simulator.Requests.Where(r => !r.OnFilesOrigin).ToList();
        var refused = requests.Count(r => r.StatusCode == 429);
        Assert.Equal(30, done.Count(t => t.State == Models.TaskState.Completed)); // no prompt lost to a 429
        Assert.Equal(30, simulator.Tasks.Count);                                 // and none paid twice
        // Before anything is known of the limit, a burst is refused: the first looks of tasks that stood by for the
        // first completion go out together (between 9 and 20 of some 90 requests in runs here). After that the shared
        // budget keeps under the limit; a 300-prompt batch spreads that first burst thinner (1% in the bench).
        Assert.True(refused * 100 <= requests.Count * 30, $"{refused} of {requests.Count} requests were answered 429");
        // Once requests are paced, each look takes a create's place: the looks wait until nearly every task like
        // theirs was done, so most tasks are found by one look: 30 to 45 answered looks in runs here, 58 to 64 with the unpaced window.
        var looks = requests.Count(r => r.Method == "GET" && r.StatusCode == 200);
        output.WriteLine($"{requests.Count} requests, {refused} refused, {looks} answered looks for 30 tasks");
        Assert.True(looks <= 51, $"{looks} answered looks for 30 tasks");
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
