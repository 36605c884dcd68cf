using System.Text.Json;
using RunApi.Client.Errors;
using RunApi.Client.Http;
using RunApi.Client.Models;
using RunApi.Client.Tests.Support;
using RunApi.Simulator;

namespace RunApi.Client.Tests;

/// <summary>Creates and gets against the simulator: the wire as the contract describes it.</summary>
public class ClientTests : IAsyncLifetime
{
    private RunApiSimulator _simulator = null!;

    public async Task InitializeAsync() => _simulator = await RunApiSimulator.StartAsync();
    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    [Fact]
    public async Task A_create_sends_the_contract_headers_and_the_compacted_body()
    {
        var created = await Clients.For(_simulator).CreateAsync(new TextToImageRequest("a red cube") { AspectRatio = "1:1", NegativePrompt = "" });

        var sent = Assert.Single(_simulator.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/api/v1/imagen_4/text_to_image", sent.Path);
        Assert.Equal("Bearer " + _simulator.ApiKey, sent.Authorization);
        Assert.Equal("application/json", sent.Headers["Accept"]);
        Assert.StartsWith("RunApi-PowerShell/", sent.UserAgent);
        Assert.Matches("^[0-9a-f]{32}$", sent.IdempotencyKey);
        Assert.Equal(created.IdempotencyKey, sent.IdempotencyKey);
        Assert.Equal("""{"aspect_ratio":"1:1","model":"imagen-4","prompt":"a red cube"}""", sent.Body);
        Assert.Equal(_simulator.Tasks.Single().Id, created.Id);
        Assert.False(created.Response.TaskReplayed);
    }

    [Fact]
    public async Task Invalid_input_sends_nothing()
    {
        await Assert.ThrowsAsync<RunApiException>(() => Clients.For(_simulator).CreateAsync(new TextToImageRequest(" ")));
        Assert.Empty(_simulator.Requests);
    }

    [Fact]
    public async Task The_same_idempotency_key_and_input_return_the_same_task_once_charged()
    {
        var client = Clients.For(_simulator);
        var before = _simulator.BalanceCents;
        var first = await client.CreateAsync(new TextToImageRequest("a red cube"), "order-42");
        var again = await client.CreateAsync(new TextToImageRequest("a red cube"), "order-42");

        Assert.Equal(first.Id, again.Id);
        Assert.True(again.Response.TaskReplayed);
        Assert.Single(_simulator.Tasks);
        Assert.Equal(before - 8, _simulator.BalanceCents);
    }

    [Fact]
    public async Task The_same_idempotency_key_with_other_input_is_a_conflict()
    {
        var client = Clients.For(_simulator);
        await client.CreateAsync(new TextToImageRequest("a red cube"), "order-43");
        var error = await Assert.ThrowsAsync<RunApiException>(() => client.CreateAsync(new TextToImageRequest("a blue cube"), "order-43"));
        Assert.Equal(RunApiErrorKind.Conflict, error.Kind);
        Assert.Equal("request_conflict", error.Code);
    }

    [Fact]
    public async Task An_idempotency_key_the_header_cannot_carry_is_refused_before_sending()
    {
        var error = await Assert.ThrowsAsync<RunApiException>(
            () => Clients.For(_simulator).CreateAsync(new TextToImageRequest("a"), new string('k', 513)));
        Assert.Equal(RunApiErrorKind.Validation, error.Kind);
        Assert.Empty(_simulator.Requests);
    }

    [Fact]
    public async Task Too_few_credits_is_a_402_with_nothing_charged()
    {
        _simulator.BalanceCents = 5;
        var error = await Assert.ThrowsAsync<RunApiException>(
            () => Clients.For(_simulator).CreateAsync(new TextToImageRequest("a", ImagenVariants.Standard)));
        Assert.Equal(RunApiErrorKind.InsufficientCredits, error.Kind);
        Assert.Equal(5, _simulator.BalanceCents);
        Assert.Empty(_simulator.Tasks);
    }

    [Fact]
    public async Task A_remix_task_is_created_and_read_on_its_own_endpoint()
    {
        var client = Clients.For(_simulator);
        var created = await client.CreateAsync(new RemixImageRequest("Restyle", new[] { "https://example.com/a.jpg" }) { OutputResolution = "4k" });
        Assert.Equal(24, created.Request.PriceCents);

        var task = await client.GetTaskAsync(TaskEndpoint.RemixImage, created.Id);
        Assert.Equal(created.Id, task.Id);
        var wrongEndpoint = await Assert.ThrowsAsync<RunApiException>(() => client.GetTaskAsync(TaskEndpoint.TextToImage, created.Id));
        Assert.Equal(RunApiErrorKind.NotFound, wrongEndpoint.Kind);
        Assert.Equal(created.Id, wrongEndpoint.TaskId);
    }

    [Theory]
    [InlineData("../../me")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("x?y=1")]
    [InlineData("x#y")]
    public async Task A_task_id_that_is_not_one_path_segment_is_refused_before_any_request(string id)
    {
        var error = await Assert.ThrowsAsync<RunApiException>(
            () => Clients.For(_simulator).GetTaskAsync(TaskEndpoint.TextToImage, id));
        Assert.Equal(RunApiErrorKind.Validation, error.Kind);
        Assert.Empty(_simulator.Requests);
    }

    [Fact]
    public async Task Unknown_task_fields_are_kept()
    {
        var client = Clients.For(_simulator);
        _simulator.Faults.Add(FaultRule.Respond(200, """{"id":"task_456","status":"completed","images":[{"url":"https://file.runapi.ai/generated"}],"custom":"kept"}""")
            .For("GET", "/api/v1/imagen_4/text_to_image/task_456"));
        var task = await client.GetTaskAsync(TaskEndpoint.TextToImage, "task_456");
        Assert.Equal("kept", task.AdditionalFields!["custom"].GetString());
        Assert.Equal(TaskState.Completed, task.State);
    }

    [Theory]
    [InlineData("completed", TaskState.Completed)]
    [InlineData("SUCCESS", TaskState.Completed)]
    [InlineData("failed", TaskState.Failed)]
    [InlineData("generate_failed", TaskState.Failed)]
    [InlineData("create_task_failed", TaskState.Failed)]
    [InlineData("error", TaskState.Failed)]
    [InlineData("pending", TaskState.Pending)]
    [InlineData("processing", TaskState.Processing)]
    [InlineData("queued_somewhere_new", TaskState.Processing)]
    // The enum is internal to the client, and a public test method cannot take it: it comes boxed.
    public void Statuses_normalise_as_the_Go_SDK_does(string status, object state)
    {
        Assert.Equal(state, TaskStates.Normalize(status));
    }

    [Fact]
    public async Task The_observer_hears_one_exchange_per_request_with_bodies_masked()
    {
        var exchanges = new List<HttpExchange>();
        var client = Clients.For(_simulator, observer: exchanges.Add, captureBodies: true);
        var created = await client.CreateAsync(new TextToImageRequest("a red cube"));
        await client.GetTaskAsync(TaskEndpoint.TextToImage, created.Id);

        Assert.Equal(2, exchanges.Count);
        Assert.Equal("POST /api/v1/imagen_4/text_to_image", exchanges[0].Method + " " + exchanges[0].Path);
        Assert.Equal(200, exchanges[0].StatusCode);
        Assert.Equal(_simulator.Requests[0].RequestId, exchanges[0].RequestId);
        Assert.Contains("a red cube", exchanges[0].RequestBody);
        Assert.Contains(created.Id, exchanges[1].ResponseBody);
        Assert.All(exchanges, e => Assert.DoesNotContain(_simulator.ApiKey, e.ToString() + e.RequestBody + e.ResponseBody));
    }

    [Fact]
    public async Task The_balance_is_read()
    {
        _simulator.BalanceCents = 1234;
        var balance = await Clients.For(_simulator).GetBalanceAsync();
        Assert.Equal(1234, balance.BalanceCents);
    }
}
