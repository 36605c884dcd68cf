using System.Net;
using System.Net.Http.Headers;
using RunApi.Simulator;

namespace RunApi.Client.Tests.Simulator;

public sealed class FaultRuleTests
{
    private const string CreateBody = """{"model":"imagen-4","prompt":"a red cube"}""";

    [Fact]
    public async Task Respond_answers_instead_of_the_handler_with_its_headers_then_stops_after_Times()
    {
        await using var h = await SimHarness.StartAsync();
        var rule = h.Sim.Faults.Add(FaultRule.Respond(503, """{"error":"No active channel available"}""", ("Retry-After", "3"))
            .For("POST", SimHarness.TextToImage).Times(1));

        var faulted = await h.PostAsync(SimHarness.TextToImage, CreateBody);
        var normal = await h.PostAsync(SimHarness.TextToImage, CreateBody);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, faulted.Status);
        Assert.Equal("""{"error":"No active channel available"}""", faulted.Text);
        Assert.Equal("3", faulted.Header("Retry-After"));
        Assert.Equal("application/json; charset=utf-8", faulted.Message.Content.Headers.ContentType!.ToString());
        Assert.NotNull(faulted.Header("x-request-id"));
        Assert.Equal(HttpStatusCode.OK, normal.Status);
        Assert.Equal(1, rule.FiredCount);
        Assert.Single(h.Sim.Tasks);
    }

    [Fact]
    public async Task Respond_can_send_an_html_gateway_page()
    {
        await using var h = await SimHarness.StartAsync();
        h.Sim.Faults.Add(FaultRule.Respond(503, "<!doctype html><title>Bad gateway</title>"));

        var reply = await h.GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, reply.Status);
        Assert.Equal("text/html", reply.Message.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Rules_match_before_authentication()
    {
        await using var h = await SimHarness.StartAsync();
        h.Sim.Faults.Add(FaultRule.Respond(429, """{"message":"slow down"}""", ("Retry-After", "2")));
        using var anonymous = new HttpClient { BaseAddress = h.Sim.BaseUri };

        var reply = await anonymous.GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.TooManyRequests, reply.StatusCode);
    }

    [Fact]
    public async Task RespondAfterProcessing_really_creates_and_charges_the_task()
    {
        await using var h = await SimHarness.StartAsync();
        h.Sim.Faults.Add(FaultRule.RespondAfterProcessing(502, """{"error":{"message":"temporarily unavailable"}}""").Times(1));
        Action<HttpRequestMessage> key = r => r.Headers.Add("Idempotency-Key", "retry-me");

        var lost = await h.PostAsync(SimHarness.TextToImage, CreateBody, key);
        var retry = await h.PostAsync(SimHarness.TextToImage, CreateBody, key);

        Assert.Equal(HttpStatusCode.BadGateway, lost.Status);
        Assert.Null(lost.Header("X-RunAPI-Task-Id"));
        var task = Assert.Single(h.Sim.Tasks);
        Assert.Equal(task.Id, retry.Body.GetProperty("id").GetString());
        Assert.True(retry.Body.GetProperty("task_replayed").GetBoolean());
        Assert.Equal(1_000_000 - 8, h.Sim.BalanceCents);
    }

    [Fact]
    public async Task Delay_waits_on_the_simulator_clock()
    {
        await using var h = await SimHarness.StartAsync();
        var rule = h.Sim.Faults.Add(FaultRule.Delay(TimeSpan.FromSeconds(5)).For("GET", "/api/v1/me").Times(1));

        var pending = h.Http.GetAsync("/api/v1/me");
        await rule.WaitForFireAsync();
        h.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(pending.IsCompleted);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var response = await pending;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var recorded = Assert.Single(h.Sim.Requests);
        Assert.Equal(TimeSpan.FromSeconds(5), recorded.CompletedAt - recorded.ReceivedAt);
    }

    [Fact]
    public async Task Disposing_ends_a_request_held_by_a_delay_nobody_advances()
    {
        var h = await SimHarness.StartAsync();
        var rule = h.Sim.Faults.Add(FaultRule.Delay(TimeSpan.FromHours(1)));
        var pending = h.Http.GetAsync("/api/v1/me");
        await rule.WaitForFireAsync();

        await h.Sim.DisposeAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => pending);
        await h.DisposeAsync();
    }

    [Fact]
    public async Task DropConnection_sends_nothing_and_records_status_0()
    {
        await using var h = await SimHarness.StartAsync();
        h.Sim.Faults.Add(FaultRule.DropConnection().For("POST", SimHarness.TextToImage).Times(1));

        await Assert.ThrowsAsync<HttpRequestException>(() => h.Http.PostAsync(SimHarness.TextToImage, SimHarness.Json(CreateBody)));

        var recorded = Assert.Single(h.Sim.Requests);
        Assert.Equal(0, recorded.StatusCode);
        Assert.Null(recorded.RequestId);
        Assert.Equal(CreateBody, recorded.Body);
        Assert.Empty(h.Sim.Tasks);
    }

    [Fact]
    public async Task DropAfterProcessing_creates_the_task_but_sends_nothing()
    {
        await using var h = await SimHarness.StartAsync();
        h.Sim.Faults.Add(FaultRule.DropAfterProcessing().For("POST", SimHarness.TextToImage).Times(1));
        Action<HttpRequestMessage> key = r => r.Headers.Add("Idempotency-Key", "unknown-outcome");

        await Assert.ThrowsAsync<HttpRequestException>(() => h.PostAsync(SimHarness.TextToImage, CreateBody, key));
        var retry = await h.PostAsync(SimHarness.TextToImage, CreateBody, key);

        var task = Assert.Single(h.Sim.Tasks);
        Assert.Equal(task.Id, retry.Body.GetProperty("id").GetString());
        Assert.True(retry.Body.GetProperty("task_replayed").GetBoolean());
        Assert.Equal([0, 200], h.Sim.Requests.Select(r => r.StatusCode));
        Assert.Equal(1_000_000 - 8, h.Sim.BalanceCents);
    }

    [Fact]
    public async Task TruncateBody_sends_the_full_length_then_cuts_the_body()
    {
        await using var h = await SimHarness.StartAsync(o => o.ImageBytes = 100_000);
        var id = await h.CreateAsync();
        h.Time.Advance(TimeSpan.FromSeconds(10));
        h.Sim.Faults.Add(FaultRule.TruncateBody(0.5).For("GET", "/generated/").Times(1));

        using var response = await h.Files.GetAsync($"/generated/{id}/0.png", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(100_000, response.Content.Headers.ContentLength);
        var received = 0;
        var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[8192];
        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                received += read;
            }
        });

        Assert.Equal(50_000, received);
        Assert.Equal(100_000, (await h.Files.GetByteArrayAsync($"/generated/{id}/0.png")).Length);
    }

    [Fact]
    public async Task TruncateBody_on_json_makes_reading_the_response_fail()
    {
        await using var h = await SimHarness.StartAsync();
        var id = await h.CreateAsync();
        h.Sim.Faults.Add(FaultRule.TruncateBody().For("GET", SimHarness.TextToImage + "/").Times(1));

        await Assert.ThrowsAsync<HttpRequestException>(() => h.Http.GetAsync($"{SimHarness.TextToImage}/{id}"));

        Assert.Equal(200, h.Sim.Requests[^1].StatusCode);
    }

    [Fact]
    public async Task For_matches_method_and_path_prefix_case_insensitively()
    {
        await using var h = await SimHarness.StartAsync();
        var rule = h.Sim.Faults.Add(FaultRule.Respond(500).For("post", "/API/V1/IMAGEN_4/"));

        var get = await h.GetAsync($"{SimHarness.TextToImage}/task_x");
        var post = await h.PostAsync(SimHarness.RemixImage, "{}");

        Assert.Equal(HttpStatusCode.NotFound, get.Status);
        Assert.Equal(HttpStatusCode.InternalServerError, post.Status);
        Assert.Equal(1, rule.FiredCount);
    }

    [Fact]
    public async Task The_first_rule_with_uses_left_fires_and_Clear_removes_all()
    {
        await using var h = await SimHarness.StartAsync();
        var first = h.Sim.Faults.Add(FaultRule.Respond(500).Times(1));
        var second = h.Sim.Faults.Add(FaultRule.Respond(503).Times(1));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await h.GetAsync("/api/v1/me")).Status);
        }

        h.Sim.Faults.Add(FaultRule.Respond(500));
        h.Sim.Faults.Clear();
        statuses.Add((await h.GetAsync("/api/v1/me")).Status);

        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK, HttpStatusCode.OK], statuses);
        Assert.Equal((1, 1), (first.FiredCount, second.FiredCount));
    }

    [Fact]
    public async Task WithProbability_is_repeatable_with_a_seed()
    {
        async Task<string> PatternAsync()
        {
            await using var h = await SimHarness.StartAsync(o => o.RandomSeed = 7);
            h.Sim.Faults.Add(FaultRule.Respond(503).WithProbability(0.5));
            var pattern = "";
            for (var i = 0; i < 24; i++)
            {
                pattern += (await h.GetAsync("/api/v1/me")).Status == HttpStatusCode.OK ? "." : "x";
            }

            return pattern;
        }

        var once = await PatternAsync();
        var again = await PatternAsync();

        Assert.Equal(once, again);
        Assert.Contains("x", once);
        Assert.Contains(".", once);
    }

    [Fact]
    public async Task Probability_zero_never_fires_and_lets_later_rules_match()
    {
        await using var h = await SimHarness.StartAsync();
        var never = h.Sim.Faults.Add(FaultRule.Respond(500).WithProbability(0));
        h.Sim.Faults.Add(FaultRule.Respond(418));

        Assert.Equal((HttpStatusCode)418, (await h.GetAsync("/api/v1/me")).Status);
        Assert.Equal(0, never.FiredCount);
    }

    [Fact]
    public async Task Rules_apply_to_the_files_origin_too()
    {
        await using var h = await SimHarness.StartAsync();
        var id = await h.CreateAsync();
        h.Time.Advance(TimeSpan.FromSeconds(10));
        h.Sim.Faults.Add(FaultRule.Respond(503).For("GET", "/generated/").Times(1));

        var faulted = await h.Files.GetAsync($"/generated/{id}/0.png");
        var normal = await h.Files.GetAsync($"/generated/{id}/0.png");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, faulted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, normal.StatusCode);
        Assert.All(h.Sim.Requests.Where(r => r.Path.StartsWith("/generated/")), r => Assert.True(r.OnFilesOrigin));
    }

    [Fact]
    public void Factories_reject_meaningless_arguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FaultRule.Respond(42));
        Assert.Throws<ArgumentOutOfRangeException>(() => FaultRule.TruncateBody(1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => FaultRule.Delay(TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => FaultRule.DropConnection().WithProbability(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => FaultRule.DropConnection().Times(-1));
    }
}
