using System.Net;
using System.Text.Json;

namespace RunApi.Client.Tests.Simulator;

public sealed class TaskLifecycleTests
{
    [Fact]
    public async Task Create_answers_pending_with_a_reservation_and_the_task_id_header()
    {
        await using var h = await SimHarness.StartAsync();

        var reply = await h.PostAsync(SimHarness.TextToImage, """{"model":"imagen-4","prompt":"a red cube","aspect_ratio":"1:1"}""");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var id = reply.Body.GetProperty("id").GetString()!;
        Assert.Matches("^task_[0-9a-f]{24}$", id);
        Assert.Equal(id, reply.Header("X-RunAPI-Task-Id"));
        Assert.Equal(
            $$$"""{"id":"{{{id}}}","status":"pending","billing":{"reservation":{"amount_cents":8},"settlement":null,"refund":null}}""",
            reply.Text);
    }

    [Fact]
    public async Task A_task_goes_pending_then_processing_then_completed_on_the_fake_clock()
    {
        // 10 s generation, 10 % pending: processing from 1 s, completed from 10 s.
        await using var h = await SimHarness.StartAsync();
        var id = await h.CreateAsync();

        Assert.Equal("pending", (await h.GetTaskAsync(id)).GetProperty("status").GetString());
        h.Time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal("pending", (await h.GetTaskAsync(id)).GetProperty("status").GetString());
        h.Time.Advance(TimeSpan.FromMilliseconds(1));
        var processing = await h.GetTaskAsync(id);
        Assert.Equal("processing", processing.GetProperty("status").GetString());
        Assert.False(processing.TryGetProperty("images", out _));
        Assert.False(processing.TryGetProperty("error", out _));

        h.Time.Advance(TimeSpan.FromSeconds(9));
        var completed = await h.GetTaskAsync(id);

        Assert.Equal("completed", completed.GetProperty("status").GetString());
        var image = Assert.Single(completed.GetProperty("images").EnumerateArray());
        Assert.Equal($"{h.Sim.FilesBaseUri.GetLeftPart(UriPartial.Authority)}/generated/{id}/0.png", image.GetProperty("url").GetString());
        Assert.StartsWith(h.Sim.FilesBaseUri.GetLeftPart(UriPartial.Authority), image.GetProperty("origin_url").GetString());
        var billing = completed.GetProperty("billing");
        Assert.Equal(8, billing.GetProperty("settlement").GetProperty("charged_amount_cents").GetInt64());
        Assert.Equal(8_000_000, billing.GetProperty("settlement").GetProperty("amount_micro_cents").GetInt64());
        Assert.Equal(JsonValueKind.Null, billing.GetProperty("refund").ValueKind);
        Assert.Equal(1_000_000 - 8, h.Sim.BalanceCents);
    }

    [Fact]
    public async Task A_failing_prompt_ends_failed_and_is_refunded_exactly_once()
    {
        await using var h = await SimHarness.StartAsync(o => o.BalanceCents = 100);
        var id = await h.CreateAsync(prompt: "please [fail] now", model: "imagen-4-ultra");
        Assert.Equal(88, h.Sim.BalanceCents);

        h.Time.Advance(TimeSpan.FromSeconds(10));
        var failed = await h.GetTaskAsync(id);
        await h.GetTaskAsync(id);
        var balance = (await h.GetAsync("/api/v1/me/balance")).Body;

        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("Generation failed", failed.GetProperty("error").GetString());
        Assert.False(failed.TryGetProperty("images", out _));
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("billing").GetProperty("settlement").ValueKind);
        Assert.Equal("2026-06-08T10:30:10Z", failed.GetProperty("billing").GetProperty("refund").GetProperty("refunded_at").GetString());
        Assert.Equal(100, balance.GetProperty("balance_cents").GetInt64());
        Assert.Equal(0, balance.GetProperty("spent_cents_total").GetInt64());
        Assert.Equal(100, h.Sim.BalanceCents);
    }

    [Fact]
    public async Task The_refund_is_paid_when_the_failure_time_passes_even_if_nobody_polls()
    {
        await using var h = await SimHarness.StartAsync(o => o.BalanceCents = 8);
        await h.CreateAsync(prompt: "[fail]");
        Assert.Equal(0, h.Sim.BalanceCents);

        h.Time.Advance(TimeSpan.FromSeconds(10));

        // The refunded money is available to the next create without the failed task ever being read.
        await h.CreateAsync();
        Assert.Equal(0, h.Sim.BalanceCents);
        Assert.Equal(2, h.Sim.Tasks.Count);
    }

    [Fact]
    public async Task Per_model_generation_times_and_image_count_are_honoured()
    {
        await using var h = await SimHarness.StartAsync(o =>
        {
            o.GenerationTimeByModel["imagen-4-fast"] = (TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
            o.ImagesPerTask = 3;
        });
        var id = await h.CreateAsync(model: "imagen-4-fast");
        var task = h.Sim.FindTask(id)!;

        Assert.InRange(task.CompletesAt - task.CreatedAt, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
        h.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(3, (await h.GetTaskAsync(id)).GetProperty("images").GetArrayLength());
        Assert.Equal("completed", task.StatusAt(h.Time.GetUtcNow()));
    }

    [Fact]
    public async Task Unknown_ids_and_ids_from_the_other_endpoint_are_404()
    {
        await using var h = await SimHarness.StartAsync();
        var id = await h.CreateAsync();

        var unknown = await h.GetAsync($"{SimHarness.TextToImage}/task_000000000000000000000000");
        var otherEndpoint = await h.GetAsync($"{SimHarness.RemixImage}/{id}");

        foreach (var reply in new[] { unknown, otherEndpoint })
        {
            Assert.Equal(HttpStatusCode.NotFound, reply.Status);
            Assert.Equal("""{"error":{"code":"not_found","message":"Task not found"}}""", reply.Text);
            Assert.Matches("^req_[0-9a-f]{16}$", reply.Header("x-request-id"));
        }
    }

    [Fact]
    public async Task Remix_tasks_are_priced_by_output_resolution_and_found_on_their_own_endpoint()
    {
        await using var h = await SimHarness.StartAsync();
        const string body = """{"model":"imagen-4-pro-remix-image","prompt":"Restyle this image","source_image_urls":["https://example.com/a.jpg"],"output_resolution":"RES"}""";

        var twoK = await h.PostAsync(SimHarness.RemixImage, body.Replace("RES", "2k"));
        var fourK = await h.PostAsync(SimHarness.RemixImage, body.Replace("RES", "4k"));

        Assert.Equal(18, twoK.Body.GetProperty("billing").GetProperty("reservation").GetProperty("amount_cents").GetInt64());
        Assert.Equal(24, fourK.Body.GetProperty("billing").GetProperty("reservation").GetProperty("amount_cents").GetInt64());
        var id = twoK.Body.GetProperty("id").GetString()!;
        Assert.Equal("remix_image", h.Sim.FindTask(id)!.Endpoint);
        Assert.Equal("pending", (await h.GetTaskAsync(id, SimHarness.RemixImage)).GetProperty("status").GetString());
        Assert.Equal(1_000_000 - 42, h.Sim.BalanceCents);
    }

    [Theory]
    [InlineData("imagen-4", 8)]
    [InlineData("imagen-4-fast", 4)]
    [InlineData("imagen-4-ultra", 12)]
    public async Task Text_to_image_prices_by_model(string model, long cents)
    {
        await using var h = await SimHarness.StartAsync();
        await h.CreateAsync(model: model);

        Assert.Equal(cents, h.Sim.Tasks.Single().PriceCents);
        Assert.Equal(1_000_000 - cents, h.Sim.BalanceCents);
    }
}
