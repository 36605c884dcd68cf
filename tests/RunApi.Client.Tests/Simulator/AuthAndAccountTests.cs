using System.Net;
using System.Net.Http.Headers;

namespace RunApi.Client.Tests.Simulator;

public sealed class AuthAndAccountTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-key")]
    [InlineData("Basic c2ltOnNpbQ==")]
    public async Task Api_routes_without_the_key_get_401(string? authorization)
    {
        await using var h = await SimHarness.StartAsync();
        using var client = new HttpClient { BaseAddress = h.Sim.BaseUri };
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        foreach (var path in new[] { "/api/v1/me", "/api/v1/me/balance", $"{SimHarness.TextToImage}/task_x", "/api/v1/no-such-route" })
        {
            var reply = await Reply.ReadAsync(await client.GetAsync(path));

            Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
            Assert.Equal("""{"error":{"code":"unauthorized","message":"Invalid or missing API key"}}""", reply.Text);
        }

        var create = await Reply.ReadAsync(await client.PostAsync(SimHarness.TextToImage, SimHarness.Json("""{"model":"imagen-4","prompt":"x"}""")));
        Assert.Equal(HttpStatusCode.Unauthorized, create.Status);
        Assert.Empty(h.Sim.Tasks);
    }

    [Fact]
    public async Task The_configured_key_is_the_one_accepted()
    {
        await using var h = await SimHarness.StartAsync(o => o.ApiKey = "my-own-key");
        using var client = new HttpClient { BaseAddress = h.Sim.BaseUri };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "my-own-key");

        Assert.Equal("my-own-key", h.Sim.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Me_returns_the_account()
    {
        await using var h = await SimHarness.StartAsync();

        var reply = await h.GetAsync("/api/v1/me");

        Assert.Equal("""{"id":1,"name":"Simulator","email":"sim@example.invalid","account":{"id":1,"name":"simulator"}}""", reply.Text);
    }

    [Fact]
    public async Task Balance_reflects_reservations_and_spending()
    {
        await using var h = await SimHarness.StartAsync(o => o.BalanceCents = 5000);
        await h.CreateAsync(model: "imagen-4-ultra");

        var reply = await h.GetAsync("/api/v1/me/balance");

        Assert.Equal(
            """{"balance_cents":4988,"paid_balance_cents":4988,"bonus_balance_cents":0,"spent_cents_today":12,"spent_cents_total":12}""",
            reply.Text);

        h.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, (await h.GetAsync("/api/v1/me/balance")).Body.GetProperty("spent_cents_today").GetInt64());
    }

    [Fact]
    public async Task Unknown_api_routes_are_404_once_authenticated()
    {
        await using var h = await SimHarness.StartAsync();

        var reply = await h.GetAsync("/api/v1/tasks");

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Equal("""{"error":{"code":"not_found","message":"Not found"}}""", reply.Text);
    }
}
