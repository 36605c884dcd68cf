using System.Management.Automation;
using RunApi.PowerShell.Tests.Support;
using RunApi.Simulator;

namespace RunApi.PowerShell.Tests;

/// <summary>
/// What RunAPI adds to a task beyond its id, status and images (contract §3.2, §3.3, §3.5): progress on a working task,
/// usage with the cost charged, billing facts, and fields no source names. Answers are replayed as RunAPI's own SDK,
/// CLI and MCP tests show them; what is checked is what the user gets: the task object, the progress bar, the totals.
/// </summary>
public class ServiceFieldsTests
{
    private const string Tasks = "/api/v1/imagen_4/text_to_image";

    private static FaultRule Answer(string taskId, string json, params (string, string)[] headers) =>
        FaultRule.Respond(200, json, headers).For("GET", $"{Tasks}/{taskId}");

    [Fact]
    public async Task A_working_task_keeps_its_progress_and_the_fields_no_source_names()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Simulator.Faults.Add(Answer("task_123",
            """{"id":"task_123","status":"processing","progress":80,"custom":"kept","extra_field":{"stage":"render","step":3}}"""));

        var output = session.Run("$t = Get-ImagenTask task_123; $t; $t.Extra.custom; $t.Extra.extra_field.step").Output;

        var task = output[0];
        Assert.Equal(80d, task.Raw("Progress"));
        Assert.Equal("kept", output[1].BaseObject);
        Assert.Equal(3L, output[2].BaseObject);
        Assert.Null(task.Raw("ChargedUsd")); // nothing is charged, or known to be, while it works
        Assert.Null(task.Raw("ChargeSource"));
    }

    [Theory]
    [InlineData("COMPLETED")]
    [InlineData("Success")]
    public async Task A_status_in_any_letter_case_or_synonym_reads_as_its_meaning_and_the_word_sent_is_kept(string sent)
    {
        await using var session = await ModuleSession.StartAsync();
        session.Simulator.Faults.Add(Answer("task_789",
            $$"""{"id":"task_789","status":"{{sent}}","images":[{"url":"https://file.runapi.ai/generated"}]}"""));

        var output = session.Run("Get-ImagenTask task_789 | Where-Object Status -ceq 'completed'").Output;

        var task = Assert.Single(output);
        Assert.Equal("completed", task.Get<string>("Status"));
        Assert.Equal(sent, task.Get<string>("ServiceStatus"));
    }

    [Fact]
    public async Task A_completed_task_is_charged_the_cost_RunAPI_reports_to_the_last_digit()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Simulator.Faults.Add(Answer("task_456",
            """{"id":"task_456","status":"completed","images":[{"url":"https://file.runapi.ai/generated"}],"usage":{"cost":0.0321,"seconds":4},"custom":"kept"}"""));

        var output = session.Run("$t = Get-ImagenTask task_456 -Model imagen-4; $t; $t.Usage.seconds").Output;

        var task = output[0];
        Assert.Equal(0.0321m, Assert.IsType<decimal>(task.Raw("ChargedUsd")));
        Assert.Equal("Service", task.Raw("ChargeSource"));
        Assert.Equal(0.08m, task.Get<decimal>("EstimatedCostUsd"));
        Assert.Equal(4L, output[1].BaseObject);
        Assert.Null(task.Raw("Progress"));
    }

    [Theory]
    [InlineData("""{"id":"task_1","status":"completed","images":[{"url":"https://file.runapi.ai/generated"}]}""", "0.08")]
    [InlineData("""{"id":"task_1","status":"failed","error":"Generation failed"}""", "0")] // failed generations are not charged
    public async Task Without_a_figure_from_RunAPI_the_charge_is_the_list_price_and_says_so(string answer, string usd)
    {
        await using var session = await ModuleSession.StartAsync();
        session.Simulator.Faults.Add(Answer("task_1", answer));

        var task = Assert.Single(session.Run("Get-ImagenTask task_1 -Model imagen-4").Tasks());

        Assert.Equal(decimal.Parse(usd, System.Globalization.CultureInfo.InvariantCulture), task.Get<decimal>("ChargedUsd"));
        Assert.Equal("ListPrice", task.Raw("ChargeSource"));
    }

    [Fact]
    public async Task A_settlement_in_the_billing_facts_is_a_charge_RunAPI_reported()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Simulator.Faults.Add(Answer("task_1",
            """{"id":"task_1","status":"completed","images":[{"url":"https://file.runapi.ai/generated"}],"billing":{"reservation":{"amount_cents":8},"settlement":{"charged_amount_cents":7,"amount_micro_cents":7000000},"refund":null}}"""));

        var task = Assert.Single(session.Run("Get-ImagenTask task_1 -Model imagen-4").Tasks());

        Assert.Equal(0.07m, task.Get<decimal>("ChargedUsd"));
        Assert.Equal("Service", task.Raw("ChargeSource"));
    }

    [Fact]
    public async Task The_reservation_of_the_create_answer_stays_with_the_task_through_the_wait()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Simulator.Faults.Add(FaultRule.Respond(200,
            """{"id":"task_gen_123","status":"queued","billing":{"reservation":{"amount_cents":8},"settlement":null,"refund":null}}""").For("POST", Tasks));
        session.Simulator.Faults.Add(Answer("task_gen_123",
            """{"id":"task_gen_123","status":"completed","images":[{"url":"https://file.runapi.ai/generated"}],"usage":{"cost":0.0321}}"""));

        var output = session.Run("$t = New-ImagenImage 'a red cube'; $t.Billing.ReservedUsd; $d = $t | Wait-ImagenTask; $d; $d.Billing.ReservedCents").Output;

        Assert.Equal(0.08m, output[0].BaseObject);
        Assert.Equal(0.0321m, output[1].Get<decimal>("ChargedUsd"));
        Assert.Equal(8L, output[2].BaseObject);
    }

    [Fact]
    public async Task The_key_in_an_unknown_field_is_masked_as_everywhere()
    {
        await using var session = await ModuleSession.StartAsync();
        var key = session.Simulator.ApiKey;
        var escaped = $"\\u{(int)key[0]:x4}{key[1..]}"; // the key with its first letter as a JSON \u escape
        session.Simulator.Faults.Add(Answer("task_1",
            $$$"""{"id":"task_1","status":"processing","extra_field":"{{{key}}}","custom":{"echo":"{{{escaped}}}"}}"""));

        var result = session.Run("$t = Get-ImagenTask task_1; $t.Extra.extra_field; $t.Extra.custom.echo; $t | Format-List * | Out-String");

        Assert.Equal("***", result.Output[0].BaseObject);
        Assert.Equal("***", result.Output[1].BaseObject);
        Assert.DoesNotContain(key, result.AllText());
    }

    [Fact]
    public async Task Export_Csv_and_ConvertTo_Json_keep_what_RunAPI_added()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Simulator.Faults.Add(Answer("task_456",
            """{"id":"task_456","status":"completed","images":[{"url":"https://file.runapi.ai/generated"}],"usage":{"cost":0.0321},"custom":"kept","extra_field":{"step":3}}"""));

        var result = session.Run("$t = Get-ImagenTask task_456; $t | Export-Csv ./tasks.csv; Import-Csv ./tasks.csv; ($t | ConvertTo-Json -Depth 4 | ConvertFrom-Json).Extra.extra_field.step");

        Assert.Empty(result.Errors);
        var row = result.Output[0];
        Assert.Equal("0.0321", row.Get<string>("ChargedUsd"));
        Assert.Equal("Service", row.Get<string>("ChargeSource"));
        Assert.Equal("""{"custom":"kept","extra_field":{"step":3}}""", row.Get<string>("Extra")); // JSON, nothing nested lost
        Assert.Equal("""{"cost":0.0321}""", row.Get<string>("Usage"));
        Assert.Equal(3L, result.Output[1].BaseObject);
    }
}
