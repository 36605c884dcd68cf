using System.Net;
using RunApi.Simulator;

namespace RunApi.Client.Tests.Simulator;

/// <summary>The simulator's model of RunAPI's per-key limits: a token bucket over API requests, and a cap on tasks generating.</summary>
public sealed class RateLimitTests
{
    private const string CreateBody = """{"model":"imagen-4","prompt":"a red cube"}""";

    [Fact]
    public async Task Requests_past_the_burst_get_429_with_the_wait_until_a_token_is_back()
    {
        var clock = new Support.ObservableClock();
        await using var h = await SimHarness.StartAsync(o => { o.TimeProvider = clock; o.RateLimitPerSecond = 2; o.RateLimitBurst = 3; });

        var answers = new List<Reply>();
        for (var i = 0; i < 4; i++) answers.Add(await h.GetAsync("/api/v1/me"));

        Assert.Equal(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }, answers.Select(a => a.Status));
        Assert.Equal("1", answers[3].Header("Retry-After"));
        clock.Advance(TimeSpan.FromSeconds(0.5)); // one token back at 2 a second
        Assert.Equal(HttpStatusCode.OK, (await h.GetAsync("/api/v1/me")).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await h.GetAsync("/api/v1/me")).Status);
    }

    [Fact]
    public async Task Without_a_limit_nothing_is_refused()
    {
        await using var h = await SimHarness.StartAsync();
        for (var i = 0; i < 50; i++) Assert.Equal(HttpStatusCode.OK, (await h.GetAsync("/api/v1/me")).Status);
    }

    [Fact]
    public async Task A_create_past_the_cap_on_tasks_generating_gets_429_and_none_is_charged()
    {
        await using var h = await SimHarness.StartAsync(o => { o.GenerationTime = TimeSpan.FromMinutes(1); o.MaxGeneratingPerKey = 2; });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++) statuses.Add((await h.PostAsync(SimHarness.TextToImage, CreateBody)).Status);

        Assert.Equal(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }, statuses);
        Assert.Equal(2, h.Sim.Tasks.Count);
    }
}
