using System.Text.Json.Nodes;
using RunApi.PowerShell.Tests.Support;
using RunApi.Simulator;

namespace RunApi.PowerShell.Tests;

/// <summary>The balance, a budget a batch cannot pass, and what was charged, against the simulator's ledger.</summary>
public class MoneyTests
{
    private static int Creates(ModuleSession session) => session.Simulator.Requests.Count(r => r.Method == "POST" && r.Path.StartsWith("/api/v1/imagen_4/"));

    [Fact]
    public async Task Get_RunApiBalance_reads_the_ledger_in_dollars_and_cents()
    {
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.Zero, BalanceCents = 4_820 });
        session.Run("New-ImagenImage 'a red cube' -Wait");

        var balance = session.Run($"Get-RunApiBalance -ApiKey '{session.Simulator.ApiKey}' -BaseUri '{session.Simulator.BaseUri}'").Output.Single();

        Assert.Equal("RunApi.RunApiBalance", balance.TypeNames[0]);
        Assert.Equal(48.12m, balance.Get<decimal>("BalanceUsd"));
        Assert.Equal(4_812L, balance.Get<long>("BalanceCents"));
        Assert.Equal(0.08m, balance.Get<decimal>("SpentTotalUsd"));
        Assert.Equal(0.08m, balance.Get<decimal>("SpentTodayUsd"));
    }

    [Fact]
    public async Task A_budget_that_allows_2_of_5_prompts_makes_2_tasks_and_names_the_other_3()
    {
        await using var session = await ModuleSession.StartAsync();

        var result = session.Run("1..5 | ForEach-Object { \"cube $_\" } | New-ImagenImage -Model imagen-4 -MaxCostUsd 0.16");

        Assert.Equal(2, result.Tasks().Count);
        Assert.Equal(2, session.Simulator.Tasks.Count);
        Assert.Equal(3, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.StartsWith("RunApiBudgetExceeded", e.FullyQualifiedErrorId));
        Assert.Equal(new[] { "cube 3", "cube 4", "cube 5" }, result.Errors.Select(e => e.TargetObject as string).OrderBy(p => p));
    }

    [Fact]
    public async Task WhatIf_states_the_budget_against_the_estimate_and_sends_nothing()
    {
        await using var session = await ModuleSession.StartAsync();

        var result = session.Run("'a','b','c' | New-ImagenImage -MaxCostUsd 0.16 -WhatIf");

        Assert.Empty(result.Errors);
        Assert.Contains(session.Host.Lines, l => l.Contains("for an estimated $0.16 in all (imagen-4); -MaxCostUsd $0.16 leaves out 1 prompt"));
        Assert.Empty(session.Simulator.Requests);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("abc")]
    [InlineData("0.001")]
    [InlineData("1e20")]
    public async Task A_budget_that_is_not_a_positive_amount_is_refused_at_binding(string value)
    {
        await using var session = await ModuleSession.StartAsync();

        var error = session.Run($"New-ImagenImage 'a red cube' -MaxCostUsd {value}").Errors.Single();

        Assert.Contains("MaxCostUsd", error.Exception.Message);
        Assert.Empty(session.Simulator.Requests);
    }

    [Fact]
    public async Task A_balance_below_one_price_sends_nothing_and_says_so()
    {
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.Zero, BalanceCents = 5 });

        var result = session.Run("New-ImagenImage 'a red cube','a blue cube'");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("RunApiInsufficientBalance", error.FullyQualifiedErrorId);
        Assert.Contains("$0.05", error.Exception.Message);
        Assert.Contains("nothing was sent", error.Exception.Message);
        Assert.Equal(0, Creates(session));
    }

    [Fact]
    public async Task A_balance_that_covers_3_of_10_warns_once_and_the_402_names_the_rest()
    {
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.Zero, BalanceCents = 24 });

        var result = session.Run("New-ImagenImage (1..10 | ForEach-Object { \"cube $_\" }) -Model imagen-4 -ThrottleLimit 1");

        Assert.Single(result.Warnings, w => w.Contains("covers about 3 of the 10 prompts"));
        Assert.Equal(3, result.Tasks().Count);
        Assert.Equal(7, result.Errors.Count); // the 402 and every prompt it left unsent, each by name
        Assert.Single(session.Simulator.Requests, r => r.Path == "/api/v1/me/balance");
    }

    [Fact]
    public async Task The_charged_total_of_the_closing_line_equals_the_ledgers()
    {
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.Zero, BalanceCents = 10_000 });

        var result = session.Run("'a red cube','a blue cube','a [fail] cube' | New-ImagenImage -Model imagen-4 -Wait");

        var spent = 10_000 - session.Simulator.BalanceCents;
        Assert.Equal(16, spent); // the failed generation was refunded
        AssertClosing("2 images made, 1 failed; charged $0.16 (estimated $0.24).", Assert.Single(result.Information));
        Assert.All(result.Tasks(), t => Assert.Equal(0.08m, t.Get<decimal>("ChargedUsd")));
        Assert.All(result.Tasks(), t => Assert.Equal("Service", t.Raw("ChargeSource"))); // the settlement of the billing facts
    }

    [Fact]
    public async Task A_balance_answer_without_some_figures_shows_them_unknown_not_zero()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Simulator.Faults.Add(FaultRule.Respond(200, """{"balance_cents":1234}""").For("GET", "/api/v1/me/balance"));

        var balance = session.Run($"Get-RunApiBalance -ApiKey '{session.Simulator.ApiKey}' -BaseUri '{session.Simulator.BaseUri}'").Output.Single();

        Assert.Equal(12.34m, balance.Get<decimal>("BalanceUsd"));
        Assert.All(new[] { "PaidBalanceUsd", "BonusBalanceUsd", "SpentTodayUsd", "SpentTotalUsd", "PaidBalanceCents" },
            name => Assert.Null(balance.Raw(name)));
    }

    [Fact]
    public async Task A_balance_answer_without_the_balance_does_not_stop_a_batch_as_if_it_were_zero()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Simulator.Faults.Add(FaultRule.Respond(200, """{"paid_balance_cents":500}""").For("GET", "/api/v1/me/balance"));

        var result = session.Run("'a red cube' | New-ImagenImage");

        Assert.Empty(result.Errors);
        Assert.Single(result.Tasks());
        Assert.Contains(result.Warnings, w => w.Contains("gave no balance"));
    }

    [Fact]
    public async Task A_create_answered_with_only_its_id_is_a_pending_task()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Simulator.Faults.Add(FaultRule.Respond(200, """{"id":"task_only_an_id"}""").For("POST", "/api/v1/imagen_4/text_to_image"));

        var task = Assert.Single(session.Run("New-ImagenImage 'a red cube'").Tasks());

        Assert.Equal("task_only_an_id", task.Get<string>("TaskId"));
        Assert.Equal("pending", task.Get<string>("Status"));
    }

    [Fact]
    public async Task The_closing_line_totals_what_RunAPI_reports_it_charged()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Simulator.Faults.Add(FaultRule.Rewrite(body => Completed(body, task => task["usage"] = new JsonObject { ["cost"] = 0.0321m })).For("GET", "/api/v1/imagen_4/"));

        var result = session.Run("'a red cube','a blue cube' | New-ImagenImage -Model imagen-4 -Wait");

        Assert.All(result.Tasks(), t => Assert.Equal("Service", t.Raw("ChargeSource")));
        AssertClosing("2 images made, 0 failed; charged $0.0642 (estimated $0.16).", Assert.Single(result.Information));
    }

    [Fact]
    public async Task Get_ImagenTask_Offline_shows_the_charge_the_journal_recorded_not_the_list_price()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Simulator.Faults.Add(FaultRule.Rewrite(body => Completed(body, task => task["usage"] = new JsonObject { ["cost"] = 0.0321m })).For("GET", "/api/v1/imagen_4/"));
        session.Run("'a red cube' | New-ImagenImage -Model imagen-4 -Wait -JournalPath ./batch.jsonl");

        var task = Assert.Single(session.Run("Get-ImagenTask -JournalPath ./batch.jsonl -Offline").Tasks());

        Assert.Equal(0.0321m, task.Get<decimal>("ChargedUsd"));
        Assert.Equal("Service", task.Raw("ChargeSource"));
    }

    [Fact]
    public async Task The_closing_line_says_which_part_of_the_total_is_the_list_price()
    {
        await using var session = await ModuleSession.StartAsync();
        var answered = 0;
        session.Simulator.Faults.Add(FaultRule.Rewrite(body => Completed(body, task =>
        {
            // The first task completed gets RunAPI's figure, the other none at all.
            if (Interlocked.Increment(ref answered) == 1) task["usage"] = new JsonObject { ["cost"] = 0.0321m };
            else task.Remove("billing");
        })).For("GET", "/api/v1/imagen_4/"));

        var result = session.Run("'a red cube','a blue cube' | New-ImagenImage -Model imagen-4 -Wait -ThrottleLimit 1");

        Assert.Equal(new[] { "ListPrice", "Service" }, result.Tasks().Select(t => (string)t.Raw("ChargeSource")!).OrderBy(s => s));
        AssertClosing("2 images made, 0 failed; charged $0.1121 ($0.08 of it at list price: RunAPI reported no charge for 1 task; estimated $0.16).",
            Assert.Single(result.Information));
    }

    /// <summary>The closing line: what the batch made and was charged, then the job it is (every batch is one).</summary>
    private static void AssertClosing(string expected, string line) =>
        Assert.Matches("^" + System.Text.RegularExpressions.Regex.Escape(expected) + " Job ([0-9a-z]{8}): Get-ImagenJob -Id \\1$", line);

    /// <summary>A task answer changed by <paramref name="change"/> once it is completed.</summary>
    private static string Completed(string body, Action<JsonObject> change)
    {
        var task = JsonNode.Parse(body)!.AsObject();
        if ((string?)task["status"] == "completed") change(task);
        return task.ToJsonString();
    }
}
