using System.Text.Json;
using RunApi.Client.Batches;
using RunApi.Client.Errors;
using RunApi.Client.Models;
using RunApi.PowerShell.NewImage;

namespace RunApi.PowerShell.UnitTests.NewImage;

/// <summary>All the money of one New-ImagenImage call: the budget, the -WhatIf line, the balance, the closing line.</summary>
public class CostPlanTests
{
    [Fact]
    public void The_budget_leaves_out_what_would_pass_it_and_the_WhatIf_line_says_so_by_model()
    {
        var money = new CostPlan(maxCostUsd: 0.20m);
        foreach (var (model, cents) in new[] { ("imagen-4", 8L), ("imagen-4-fast", 4L), ("imagen-4", 8L), ("imagen-4", 8L) })
        {
            money.Prompt();
            if (money.TryPlan(model, cents)) money.Commit(cents);
        }

        var (target, action) = money.WhatIfSummary()!.Value;

        Assert.Equal("4 prompts", target);
        Assert.Equal("Create 3 tasks (3 images) for an estimated $0.20 in all: 2 imagen-4 ($0.16), 1 imagen-4-fast ($0.04); " +
                     "-MaxCostUsd $0.20 leaves out 1 prompt", action);
    }

    [Fact]
    public void One_prompt_within_the_budget_has_no_WhatIf_line_of_its_own()
    {
        var money = new CostPlan(null);
        money.Prompt();
        Assert.True(money.TryPlan("imagen-4", 8));
        Assert.Null(money.WhatIfSummary());
    }

    [Theory]
    [InlineData(5L, 3, "stop", "The balance is $0.05, less than the first prompt's estimated $0.08, so nothing was sent.")]
    [InlineData(20L, 3, "warn", "The balance ($0.20) covers about 2 of the 3 prompts given (estimated $0.24)")]
    [InlineData(100L, 3, null, null)]
    public void The_balance_stops_a_batch_it_cannot_start_and_warns_of_one_it_cannot_finish(long balanceCents, int prompts, string? verdict, string? text)
    {
        var money = new CostPlan(null);

        var warning = money.CheckBalance(() => new AccountBalance { BalanceCents = balanceCents }, 8, prompts, out var stop);

        Assert.Equal(verdict == "stop", stop is not null);
        Assert.Equal(verdict == "warn", warning is not null);
        if (text is not null) Assert.StartsWith(text, stop ?? warning);
    }

    [Fact]
    public void A_balance_that_cannot_be_read_is_a_warning_and_a_refused_key_is_thrown()
    {
        var money = new CostPlan(null);

        var warning = money.CheckBalance(() => throw new RunApiException(RunApiErrorKind.Server, "Server error"), 8, 2, out var stop);
        Assert.StartsWith("The balance could not be read", warning);
        Assert.Null(stop);

        Assert.Throws<RunApiException>(() => money.CheckBalance(() => throw new RunApiException(RunApiErrorKind.Authentication, "Unauthorized"), 8, 2, out _));
    }

    [Fact]
    public void A_create_refused_frees_its_place_in_the_budget_and_one_RunAPI_may_have_made_keeps_it()
    {
        var money = new CostPlan(maxCostUsd: 1m);
        money.Commit(8);
        money.Commit(8);

        money.Failed(new BatchFailure(BatchStage.Create, new RunApiException(RunApiErrorKind.Validation, "refused")), taskMade: false, 8);
        money.Failed(new BatchFailure(BatchStage.Create, new RunApiException(RunApiErrorKind.Network, "no answer") { OutcomeUnknown = true }), taskMade: false, 8);

        Assert.Equal(8, money.CommittedCents);
    }

    [Fact]
    public void The_closing_line_totals_RunAPIs_charges_to_the_digit_and_names_what_is_list_price()
    {
        var money = new CostPlan(null);
        money.Commit(16);
        money.Completed(Task("""{"id":"t1","status":"completed","images":[{"url":"https://x/1.png"}],"usage":{"cost":0.0321}}"""), 8);
        money.Completed(Task("""{"id":"t2","status":"completed","images":[{"url":"https://x/2.png"}]}"""), 8);

        Assert.Equal("2 images made, 0 failed; charged $0.1121 ($0.08 of it at list price: RunAPI reported no charge for 1 task; estimated $0.16).",
            money.Summary(BatchGoal.Save));
    }

    private static TaskResponse Task(string json) => JsonSerializer.Deserialize<TaskResponse>(json)!;
}
