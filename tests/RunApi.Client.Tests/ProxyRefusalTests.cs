using RunApi.Client.Configuration;
using RunApi.Client.Errors;
using RunApi.Client.Http;
using RunApi.Simulator;

namespace RunApi.Client.Tests;

/// <summary>What counts as the proxy's refusal. The simulator stands in as the proxy: it serves a request sent in a proxy's form.</summary>
public class ProxyRefusalTests
{
    [Fact]
    public async Task A_403_to_an_API_request_through_a_proxy_that_is_not_JSON_is_the_proxys_refusal()
    {
        await using var simulator = await RunApiSimulator.StartAsync(new SimulatorOptions());
        simulator.Faults.Add(FaultRule.Respond(403, "<html>Access denied</html>").For("GET", "/api/v1/me/balance"));
        var client = new RunApiClient(new RunApiSettings(simulator.BaseUri, new ApiKey(simulator.ApiKey)),
            new RunApiClientOptions { Retry = new RetryOptions { MaxRetries = 0 }, Proxy = new ProxySettings(simulator.BaseUri, null, false, false) });

        var error = await Assert.ThrowsAsync<RunApiException>(() => client.GetBalanceAsync());

        Assert.Equal(RunApiErrorKind.ProxyAuthentication, error.Kind);
    }
}
