using RunApi.Client.Errors;
using RunApi.Client.Models;
using RunApi.Client.Tests.Support;
using RunApi.Simulator;

namespace RunApi.Client.Tests;

/// <summary>Every status of contract §4 becomes the right kind of error, with the service's words and request id.</summary>
public class ErrorMappingTests : IAsyncLifetime
{
    private RunApiSimulator _simulator = null!;

    public async Task InitializeAsync() => _simulator = await RunApiSimulator.StartAsync();
    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    private async Task<RunApiException> FailWith(int status, string? body, params (string, string)[] headers)
    {
        _simulator.Faults.Add(FaultRule.Respond(status, body, headers).For("GET", "/api/v1/me/balance").Times(1));
        return await Assert.ThrowsAsync<RunApiException>(() => Clients.For(_simulator).GetBalanceAsync());
    }

    [Theory]
    [InlineData(400, RunApiErrorKind.Validation, "Bad request")]
    [InlineData(401, RunApiErrorKind.Authentication, "Unauthorized")]
    [InlineData(402, RunApiErrorKind.InsufficientCredits, "Insufficient credits")]
    [InlineData(403, RunApiErrorKind.RequestFailed, "Request failed")]
    [InlineData(404, RunApiErrorKind.NotFound, "Not found")]
    [InlineData(408, RunApiErrorKind.Timeout, "Request timeout")]
    [InlineData(409, RunApiErrorKind.Conflict, "Conflict")]
    [InlineData(413, RunApiErrorKind.Validation, "Payload too large")]
    [InlineData(415, RunApiErrorKind.RequestFailed, "Unsupported media type")]
    [InlineData(422, RunApiErrorKind.Validation, "Validation failed")]
    [InlineData(429, RunApiErrorKind.RateLimited, "Too many requests")]
    [InlineData(500, RunApiErrorKind.Server, "Server error")]
    [InlineData(502, RunApiErrorKind.Server, "Server error")]
    [InlineData(503, RunApiErrorKind.ServiceUnavailable, "Service unavailable")]
    [InlineData(504, RunApiErrorKind.Server, "Server error")]
    // The enum is internal to the client, and a public test method cannot take it: it comes boxed.
    public async Task Each_status_maps_to_its_kind_and_default_message(int status, object kind, string message)
    {
        var error = await FailWith(status, "{}");
        Assert.Equal(kind, error.Kind);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(message, error.ServiceMessage);
        Assert.NotNull(error.RequestId);
        Assert.Contains(error.RequestId!, error.Message);
        Assert.Null(error.Code);
    }

    [Fact]
    public async Task A_nested_error_gives_message_and_code()
    {
        var error = await FailWith(409, """{"error":{"code":"request_conflict","message":"failed"}}""");
        Assert.Equal("failed", error.ServiceMessage);
        Assert.Equal("request_conflict", error.Code);
    }

    [Fact]
    public async Task A_string_error_is_the_message_and_no_code_is_guessed()
    {
        var error = await FailWith(503, """{"error":"No active channel available"}""");
        Assert.Equal(RunApiErrorKind.ServiceUnavailable, error.Kind);
        Assert.Equal("No active channel available", error.ServiceMessage);
        Assert.Null(error.Code);
    }

    [Theory]
    [InlineData("""{"message":"slow down"}""", "slow down")]
    [InlineData("""{"detail":"d"}""", "d")]
    [InlineData("""{"errorMessage":"e"}""", "e")]
    [InlineData("""{"msg":"m"}""", "m")]
    [InlineData("""{"errors":["legacy"]}""", "Bad request")]
    public async Task Other_message_fields_are_read_in_the_SDK_order(string body, string message)
    {
        Assert.Equal(message, (await FailWith(400, body)).ServiceMessage);
    }

    [Fact]
    public async Task Field_errors_of_a_422_are_kept_and_shown()
    {
        var error = await FailWith(422, """{"error":"Validation failed","errors":{"prompt":["is required"]}}""");
        Assert.Equal(new[] { "is required" }, error.FieldErrors["prompt"]);
        Assert.Contains("prompt is required", error.Message);
    }

    [Fact]
    public async Task An_html_error_page_gives_the_status_default()
    {
        var error = await FailWith(503, "<!doctype html><html><body>Bad gateway</body></html>");
        Assert.Equal("Service unavailable", error.ServiceMessage);
        Assert.Contains("<!doctype", error.ResponseBody);
    }

    [Fact]
    public async Task Malformed_json_gives_the_status_default_and_keeps_the_request_id()
    {
        var error = await FailWith(500, "{\"error\": ");
        Assert.Equal("Server error", error.ServiceMessage);
        Assert.NotNull(error.RequestId);
    }

    [Fact]
    public async Task Retry_after_in_seconds_is_read()
    {
        var error = await FailWith(429, """{"message":"slow down"}""", ("Retry-After", "3"));
        Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task Retry_after_as_an_http_date_is_read_against_the_clock()
    {
        var clock = new ObservableClock();
        var date = clock.GetUtcNow().AddSeconds(30).ToString("R");
        _simulator.Faults.Add(FaultRule.Respond(429, "{}", ("Retry-After", date)).For("GET", "/api/v1/me/balance").Times(1));
        var error = await Assert.ThrowsAsync<RunApiException>(() => Clients.For(_simulator, clock).GetBalanceAsync());
        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
    }

    [Fact]
    public async Task A_dropped_connection_is_a_network_error()
    {
        _simulator.Faults.Add(FaultRule.DropConnection().For("GET", "/api/v1/me/balance").Times(1));
        var error = await Assert.ThrowsAsync<RunApiException>(() => Clients.For(_simulator).GetBalanceAsync());
        Assert.Equal(RunApiErrorKind.Network, error.Kind);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task A_2xx_body_that_is_not_json_is_an_invalid_response()
    {
        _simulator.Faults.Add(FaultRule.Respond(200, "<html>maintenance</html>").For("GET", "/api/v1/me/balance").Times(1));
        var error = await Assert.ThrowsAsync<RunApiException>(() => Clients.For(_simulator).GetBalanceAsync());
        Assert.Equal(RunApiErrorKind.InvalidResponse, error.Kind);
        Assert.NotNull(error.RequestId);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_the_key_goes_nowhere_else()
    {
        _simulator.Faults.Add(FaultRule.Respond(302, null, ("Location", _simulator.FilesBaseUri + "steal")).For("GET", "/api/v1/me/balance").Times(1));
        var error = await Assert.ThrowsAsync<RunApiException>(() => Clients.For(_simulator).GetBalanceAsync());
        Assert.Equal(RunApiErrorKind.RequestFailed, error.Kind);
        Assert.DoesNotContain(_simulator.Requests, r => r.OnFilesOrigin);
    }

    [Fact]
    public async Task A_wrong_key_is_an_authentication_error_that_does_not_echo_the_key()
    {
        const string wrongKey = "sk-wrong-0000000000000000";
        var error = await Assert.ThrowsAsync<RunApiException>(
            () => Clients.WithKey(_simulator, wrongKey).GetTaskAsync(TaskEndpoint.TextToImage, "task_x"));
        Assert.Equal(RunApiErrorKind.Authentication, error.Kind);
        Assert.DoesNotContain(wrongKey, error.ToString());
        Assert.DoesNotContain(wrongKey, error.ResponseBody ?? string.Empty);
    }
}
