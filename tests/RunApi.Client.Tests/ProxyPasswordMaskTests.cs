using System.Net;
using RunApi.Client.Configuration;
using RunApi.Client.Http;
using RunApi.Client.Models;
using RunApi.Client.Tests.Support;
using RunApi.Simulator;

namespace RunApi.Client.Tests;

/// <summary>
/// The proxy password is masked in what a proxy can write, never in RunAPI's answers, which never see it. The simulator
/// stands in as the proxy too: it serves a request sent to it in a proxy's form (GET http://host/path).
/// </summary>
public class ProxyPasswordMaskTests
{
    private static RunApiClient Through(RunApiSimulator simulator, string password) =>
        new(new RunApiSettings(simulator.BaseUri, new ApiKey(simulator.ApiKey)),
            new RunApiClientOptions
            {
                Retry = new RetryOptions { MaxRetries = 0 },
                Proxy = new ProxySettings(simulator.BaseUri, new NetworkCredential("user", password), false, false),
            });

    [Fact]
    public async Task A_proxy_password_that_occurs_in_a_task_id_leaves_the_id_intact()
    {
        await using var simulator = await RunApiSimulator.StartAsync(new SimulatorOptions());
        var created = await Clients.For(simulator).CreateAsync(new TextToImageRequest("a red cube"));
        var password = created.Id.Substring("task_".Length, 4);

        var task = await Through(simulator, password).GetTaskAsync(created.Endpoint, created.Id);

        Assert.Equal(created.Id, task.Id);
    }

    [Fact]
    public async Task A_blank_proxy_password_masks_nothing_and_does_not_fail_the_request()
    {
        await using var simulator = await RunApiSimulator.StartAsync(new SimulatorOptions());
        var created = await Clients.For(simulator).CreateAsync(new TextToImageRequest("a red cube"));

        var task = await Through(simulator, "  ").GetTaskAsync(created.Endpoint, created.Id);

        Assert.Equal(created.Id, task.Id);
    }
}
