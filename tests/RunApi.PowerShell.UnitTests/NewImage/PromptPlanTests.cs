using RunApi.Client.Batches;
using RunApi.Client.Journal;
using RunApi.Client.Models;
using RunApi.PowerShell.NewImage;

namespace RunApi.PowerShell.UnitTests.NewImage;

/// <summary>What New-ImagenImage does with each prompt, decided before anything is asked or sent.</summary>
public sealed class PromptPlanTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("runapi-plan-").FullName;
    private readonly RequestBinder _binder = RequestBinder.For(new RecordParameters());

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_prompt_is_a_create_with_its_price_and_what_ShouldProcess_is_told()
    {
        var money = new CostPlan(null);

        var plan = PromptPlan.For(_binder, "a red cube", idempotencyKey: null, journal: null, saving: false, money);

        Assert.Equal(PromptStep.Create, plan.Step);
        Assert.Equal(0, plan.Row);
        Assert.Equal(8, plan.Cents);
        Assert.Equal("Create 1 imagen-4 task (1 image, estimated $0.08)", plan.Action);
        Assert.Equal("a red cube", plan.Create!.Request!.Prompt);
        Assert.Equal(1, money.Creates);
    }

    [Fact]
    public void An_idempotency_key_given_for_a_batch_sends_only_the_first_prompt()
    {
        var money = new CostPlan(null);

        var first = PromptPlan.For(_binder, "one", "key-1", null, false, money);
        var second = PromptPlan.For(_binder, "two", "key-1", null, false, money);

        Assert.Equal("key-1", first.Create!.IdempotencyKey);
        Assert.Equal("RunApiIdempotencyKeyReused", second.Refusal!.ErrorId);
        Assert.Equal(1, second.Row); // it still takes its row
    }

    [Fact]
    public void A_prompt_past_the_budget_is_refused_naming_what_was_sent()
    {
        var money = new CostPlan(maxCostUsd: 0.10m);
        money.Commit(PromptPlan.For(_binder, "one", null, null, false, money).Cents);

        var plan = PromptPlan.For(_binder, "two", null, null, false, money);

        Assert.True(plan.Refusal!.ByBudget);
        Assert.Equal("Prompt 'two' was not submitted: its estimated $0.08 would take this call past -MaxCostUsd $0.10 ($0.08 already sent).", plan.Refusal.Message);
    }

    [Fact]
    public async Task A_row_an_earlier_run_created_is_resumed_without_a_create()
    {
        var path = Path.Combine(_folder, "batch.jsonl");
        var request = _binder.Bind("a red cube");
        using (var journal = BatchJournal.Open(path, "0.1.0"))
        {
            var input = BatchInput.ToCreate(request, "k0");
            input.JournalRow = 0;
            input.JournalInput = request.ToJson();
            await journal.Accept(input);
            await journal.AppendAsync(new JournalRecord { Kind = JournalRecord.Created, Row = 0, TaskId = "task_1", Status = "processing" });
        }
        using var session = JournalSession.Open(path, whatIf: true, origin: null, "0.1.0");
        var money = new CostPlan(null);

        var plan = PromptPlan.For(_binder, "a red cube", null, session, saving: true, money);

        Assert.Equal(PromptStep.Resume, plan.Step);
        Assert.Equal("Resume task task_1 of journal row 0 (already paid: no new charge)", plan.Action);
        Assert.Equal(0, money.Creates);
    }
}
