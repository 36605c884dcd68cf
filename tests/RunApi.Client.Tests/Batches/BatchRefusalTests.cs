using RunApi.Client.Batches;
using RunApi.Client.Errors;
using RunApi.Client.Models;
using RunApi.Simulator;

namespace RunApi.Client.Tests.Batches;

/// <summary>Money in a batch: nothing is sent after a refusal, and a create without an answer can be found again.</summary>
public class BatchRefusalTests
{
    private const string CreatePath = BatchHarness.CreatePath;

    private static IEnumerable<BatchInput> Prompts(int count) => BatchHarness.Prompts(count);

    [Fact]
    public async Task After_a_402_no_create_is_sent_and_every_later_prompt_is_reported_not_submitted()
    {
        await using var h = await BatchHarness.StartAsync(new BatchSettings { CreateLimit = 1 }, sim => sim.BalanceCents = 16);

        await h.SubmitAll(Prompts(5));

        Assert.Equal(3, h.Sim.Requests.Count(r => r.Method == "POST")); // two paid, the third refused, nothing after
        Assert.Equal(2, h.Events.Count("Created"));
        var failures = h.Events.Failures.Select(f => (RunApiException)f.Error).ToList();
        Assert.Equal(3, failures.Count);
        Assert.All(failures, f => Assert.Equal(RunApiErrorKind.InsufficientCredits, f.Kind));
        Assert.Equal(2, failures.Count(f => f.Message.StartsWith("Not submitted")));
        Assert.Equal(5, h.Events.Count("Ended"));
    }

    [Fact]
    public async Task A_retry_due_after_a_refusal_is_not_sent_and_its_create_is_reported_with_its_key()
    {
        await using var h = await BatchHarness.StartAsync(new BatchSettings { CreateLimit = 2 }, maxRetries: 2);
        h.Sim.Faults.Add(FaultRule.RespondAfterProcessing(502).For("POST", CreatePath).Times(1));
        var first = BatchInput.ToCreate(new TextToImageRequest("accepted, answer lost"));
        var second = BatchInput.ToCreate(new TextToImageRequest("refused"));

        var consumer = h.Consume(() =>
        {
            h.Batch.Submit(first);
            h.WaitUntil(() => first.CreateSent);
        });
        await consumer;
        await h.PausesPending(1); // the first create's retry is waiting for its backoff
        h.Sim.Faults.Add(FaultRule.Respond(401, """{"error":"Unauthorized"}""").For("POST", CreatePath).Times(1));
        await h.Consume(() =>
        {
            h.Batch.Submit(second);
            h.WaitUntil(() => h.Batch.Refusal is not null);
        });
        h.Clock.Advance(TimeSpan.FromSeconds(5));
        await h.Consume(() => h.WaitUntil(() => h.Batch.IsIdle));

        Assert.Equal(2, h.Sim.Requests.Count(r => r.Method == "POST")); // the retry was held back
        var unknown = Assert.IsType<RunApiException>(h.Events.All.Single(e => e.Input == first && e.Failure is not null).Failure!.Error);
        Assert.True(unknown.OutcomeUnknown);
        Assert.Equal(first.IdempotencyKey, unknown.IdempotencyKey);
        Assert.Contains(first.IdempotencyKey!, unknown.Message);
        Assert.Single(h.Sim.Tasks); // the lost answer's task exists, and the key finds it
    }

    [Fact]
    public async Task A_create_whose_answers_were_all_lost_names_its_key_and_sending_it_again_pays_nothing_more()
    {
        await using var h = await BatchHarness.StartAsync(new BatchSettings(), maxRetries: 1);
        h.Sim.Faults.Add(FaultRule.RespondAfterProcessing(502, """{"error":{"message":"bad gateway"}}""").For("POST", CreatePath).Times(2));
        var input = BatchInput.ToCreate(new TextToImageRequest("a lighthouse"), tag: "a lighthouse");

        var consumer = h.SubmitAll(new[] { input });
        await h.PausesPending(1);
        h.Clock.Advance(TimeSpan.FromSeconds(5)); // past the retry's backoff
        await consumer;

        var error = Assert.IsType<RunApiException>(Assert.Single(h.Events.Failures).Error);
        Assert.True(error.OutcomeUnknown);
        Assert.Equal(input.IdempotencyKey, error.IdempotencyKey);
        Assert.Contains("may exist", error.Message);
        var charged = 1_000_000 - h.Sim.BalanceCents;
        Assert.Equal(8, charged);

        var again = await h.Client.CreateAsync(new TextToImageRequest("a lighthouse"), error.IdempotencyKey);

        Assert.True(again.Response.TaskReplayed);
        Assert.Equal(h.Sim.Tasks.Single().Id, again.Id);
        Assert.Equal(charged, 1_000_000 - h.Sim.BalanceCents);
    }
}
