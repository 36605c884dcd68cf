using System.Text.Json;
using RunApi.Client.Models;
using RunApi.Client.Tests.Support;
using RunApi.Simulator;

namespace RunApi.Client.Tests;

/// <summary>
/// What RunAPI adds to a task (contract §3.3, §3.5): progress, usage with its cost, billing and fields no source names,
/// read from answers shaped as RunAPI's own SDK, CLI and MCP tests show them.
/// </summary>
public class ServiceFieldsTests : IAsyncLifetime
{
    private RunApiSimulator _simulator = null!;

    public async Task InitializeAsync() => _simulator = await RunApiSimulator.StartAsync();
    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    private Task<TaskResponse> Answered(string json)
    {
        _simulator.Faults.Add(FaultRule.Respond(200, json).For("GET", "/api/v1/imagen_4/text_to_image/task_1"));
        return Clients.For(_simulator).GetTaskAsync(TaskEndpoint.TextToImage, "task_1");
    }

    [Fact]
    public async Task Progress_usage_and_unknown_fields_are_read_each_where_it_belongs()
    {
        var task = await Answered("""{"id":"task_1","status":"processing","progress":80,"usage":{"cost":0.0321,"seconds":4},"custom":"kept","extra_field":{"step":3}}""");

        Assert.Equal(80d, task.Progress);
        Assert.Equal(0.0321m, task.Usage!.Cost);
        Assert.Equal(4, task.Usage.AdditionalFields!["seconds"].GetInt32());
        Assert.Equal(new[] { "custom", "extra_field" }, task.AdditionalFields!.Keys.OrderBy(k => k));
    }

    [Theory]
    [InlineData("\"progress\":\"eighty\",\"usage\":\"n/a\"")]
    [InlineData("\"progress\":{\"percent\":80},\"usage\":[0.0321]")]
    [InlineData("\"progress\":null,\"usage\":{\"cost\":\"unknown\"}")]
    public async Task A_progress_or_usage_of_a_shape_nobody_has_seen_reads_as_none_and_the_task_still_reads(string fields)
    {
        var task = await Answered($$"""{"id":"task_1","status":"completed","images":[{"url":"https://file.runapi.ai/generated"}],{{fields}}}""");

        Assert.Equal(TaskState.Completed, task.State);
        Assert.Null(task.Progress);
        Assert.Null(task.Usage?.Cost);
    }

    [Fact]
    public async Task A_number_sent_as_text_is_still_read()
    {
        var task = await Answered("""{"id":"task_1","status":"completed","progress":"100","usage":{"cost":"0.0321"}}""");

        Assert.Equal(100d, task.Progress);
        Assert.Equal(0.0321m, task.Usage!.Cost);
    }

    [Theory]
    // RunAPI's own figures, whatever the list price says.
    [InlineData("""{"status":"completed","usage":{"cost":0.0321}}""", "0.0321", ChargeSource.Service)]
    [InlineData("""{"status":"completed","usage":{"cost":0.0321},"billing":{"settlement":{"charged_amount_cents":3,"amount_micro_cents":3210000}}}""", "0.0321", ChargeSource.Service)]
    [InlineData("""{"status":"completed","billing":{"reservation":{"amount_cents":8},"settlement":{"charged_amount_cents":7,"amount_micro_cents":7000000},"refund":null}}""", "0.07", ChargeSource.Service)]
    [InlineData("""{"status":"failed","usage":{"cost":0.0321},"billing":{"refund":{"refunded_at":"2026-06-08T10:30:00Z"}}}""", "0", ChargeSource.Service)]
    // No figure: the price list.
    [InlineData("""{"status":"completed","billing":{"reservation":{"amount_cents":8},"settlement":null,"refund":null}}""", "0.08", ChargeSource.ListPrice)]
    [InlineData("""{"status":"failed","error":"Generation failed"}""", "0", ChargeSource.ListPrice)]
    // The enum is internal to the client, and a public test method cannot take it: it comes boxed.
    public void The_charge_is_RunAPIs_figure_where_it_gives_one_and_the_list_price_otherwise(string json, string usd, object source)
    {
        var charge = TaskCharge.Of(JsonSerializer.Deserialize<TaskResponse>(json)!, listPriceUsd: 0.08m);

        Assert.NotNull(charge);
        Assert.Equal(decimal.Parse(usd, System.Globalization.CultureInfo.InvariantCulture), charge.Usd);
        Assert.Equal(source, charge.Source);
    }

    [Theory]
    [InlineData("""{"status":"processing","progress":80}""", "0.08")] // nothing is charged, or known to be, while it works
    [InlineData("""{"status":"completed"}""", null)] // neither RunAPI's figure nor a list price
    public void No_charge_is_claimed_where_none_is_known(string json, string? listPrice)
    {
        var price = listPrice is null ? (decimal?)null : decimal.Parse(listPrice, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Null(TaskCharge.Of(JsonSerializer.Deserialize<TaskResponse>(json)!, price));
    }
}
