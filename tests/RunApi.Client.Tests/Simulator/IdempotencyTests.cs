using System.Net;

namespace RunApi.Client.Tests.Simulator;

public sealed class IdempotencyTests
{
    private static Action<HttpRequestMessage> Key(string key) => r => r.Headers.Add("Idempotency-Key", key);

    [Fact]
    public async Task Replaying_the_same_body_returns_the_original_task_without_a_new_charge()
    {
        await using var h = await SimHarness.StartAsync();
        var first = await h.PostAsync(SimHarness.TextToImage, """{"model":"imagen-4","prompt":"a red cube"}""", Key("key-1"));

        // Same meaning, different key order, spacing and a blank field that compaction drops.
        var replay = await h.PostAsync(SimHarness.TextToImage, """{ "prompt": "a red cube", "negative_prompt": "", "model": "imagen-4" }""", Key("key-1"));

        Assert.Equal(HttpStatusCode.OK, replay.Status);
        var id = first.Body.GetProperty("id").GetString();
        Assert.Equal(id, replay.Body.GetProperty("id").GetString());
        Assert.True(replay.Body.GetProperty("task_replayed").GetBoolean());
        Assert.False(first.Body.TryGetProperty("task_replayed", out _));
        Assert.Equal(id, replay.Header("X-RunAPI-Task-Id"));
        var task = Assert.Single(h.Sim.Tasks);
        Assert.Equal(1, task.ReplayCount);
        Assert.Equal("key-1", task.IdempotencyKey);
        Assert.Equal(1_000_000 - 8, h.Sim.BalanceCents);
    }

    [Fact]
    public async Task A_replay_shows_the_task_as_it_is_now()
    {
        await using var h = await SimHarness.StartAsync();
        await h.PostAsync(SimHarness.TextToImage, """{"model":"imagen-4","prompt":"a red cube"}""", Key("k"));
        h.Time.Advance(TimeSpan.FromSeconds(10));

        var replay = await h.PostAsync(SimHarness.TextToImage, """{"model":"imagen-4","prompt":"a red cube"}""", Key("k"));

        Assert.Equal("completed", replay.Body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Reusing_a_key_with_a_different_body_gets_409()
    {
        await using var h = await SimHarness.StartAsync();
        await h.PostAsync(SimHarness.TextToImage, """{"model":"imagen-4","prompt":"a red cube"}""", Key("key-1"));

        var conflict = await h.PostAsync(SimHarness.TextToImage, """{"model":"imagen-4","prompt":"a blue cube"}""", Key("key-1"));

        Assert.Equal(HttpStatusCode.Conflict, conflict.Status);
        Assert.Equal(
            """{"error":{"code":"request_conflict","message":"Idempotency-Key was already used with different request parameters"}}""",
            conflict.Text);
        Assert.Single(h.Sim.Tasks);
    }

    [Fact]
    public async Task Keys_are_scoped_per_endpoint()
    {
        await using var h = await SimHarness.StartAsync();
        await h.PostAsync(SimHarness.TextToImage, """{"model":"imagen-4","prompt":"a red cube"}""", Key("shared"));

        var remix = await h.PostAsync(
            SimHarness.RemixImage,
            """{"model":"imagen-4-pro-remix-image","prompt":"a red cube","source_image_urls":["https://e.com/a.png"]}""",
            Key("shared"));

        Assert.Equal(HttpStatusCode.OK, remix.Status);
        Assert.Equal(2, h.Sim.Tasks.Count);
    }

    [Fact]
    public async Task Keys_longer_than_512_characters_get_422()
    {
        await using var h = await SimHarness.StartAsync();

        var ok = await h.PostAsync(SimHarness.TextToImage, """{"model":"imagen-4","prompt":"x"}""", Key(new string('k', 512)));
        var tooLong = await h.PostAsync(SimHarness.TextToImage, """{"model":"imagen-4","prompt":"x"}""", Key(new string('k', 513)));

        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.Status);
        Assert.Equal("Validation failed", tooLong.Body.GetProperty("error").GetString());
        Assert.True(tooLong.Body.GetProperty("errors").TryGetProperty("idempotency_key", out _));
    }

    [Fact]
    public async Task Concurrent_creates_with_one_key_make_one_task_and_one_charge()
    {
        await using var h = await SimHarness.StartAsync();

        var replies = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            h.PostAsync(SimHarness.TextToImage, """{"model":"imagen-4","prompt":"a red cube"}""", Key("race"))));

        Assert.All(replies, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Single(replies.Select(r => r.Body.GetProperty("id").GetString()).Distinct());
        Assert.Equal(7, replies.Count(r => r.Body.TryGetProperty("task_replayed", out _)));
        Assert.Equal(1_000_000 - 8, h.Sim.BalanceCents);
    }

    [Fact]
    public async Task A_402_is_not_remembered_so_the_same_key_works_after_a_top_up()
    {
        await using var h = await SimHarness.StartAsync(o => o.BalanceCents = 0);
        var refused = await h.PostAsync(SimHarness.TextToImage, """{"model":"imagen-4","prompt":"x"}""", Key("k"));
        h.Sim.BalanceCents = 100;

        var accepted = await h.PostAsync(SimHarness.TextToImage, """{"model":"imagen-4","prompt":"x"}""", Key("k"));

        Assert.Equal(HttpStatusCode.PaymentRequired, refused.Status);
        Assert.Equal(HttpStatusCode.OK, accepted.Status);
        Assert.False(accepted.Body.TryGetProperty("task_replayed", out _));
    }
}
