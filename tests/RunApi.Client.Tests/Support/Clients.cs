using RunApi.Client.Configuration;
using RunApi.Simulator;

namespace RunApi.Client.Tests.Support;

internal static class Clients
{
    /// <summary>A client for the simulator; retries are off unless asked for, so a test sees each answer as sent.</summary>
    public static RunApiClient For(RunApiSimulator simulator, TimeProvider? time = null, Action<Http.HttpExchange>? observer = null,
        bool captureBodies = false, int maxRetries = 0, Action<Http.RetryNotice>? retries = null) =>
        new(new RunApiSettings(simulator.BaseUri, new ApiKey(simulator.ApiKey)), Options(time, maxRetries, observer, captureBodies, retries));

    /// <summary>A client on this clock that learns completion times on its own: nothing another test taught reaches its waits.</summary>
    public static RunApiClient Learning(RunApiSimulator simulator, TimeProvider time)
    {
        var options = Options(time);
        options.Timings = new Polling.CompletionTimesRegistry();
        return new(new RunApiSettings(simulator.BaseUri, new ApiKey(simulator.ApiKey)), options);
    }

    public static RunApiClientOptions Options(TimeProvider? time = null, int maxRetries = 0, Action<Http.HttpExchange>? observer = null,
        bool captureBodies = false, Action<Http.RetryNotice>? retries = null) =>
        new()
        {
            TimeProvider = time ?? TimeProvider.System,
            Observer = observer,
            CaptureBodies = captureBodies,
            Retry = new Http.RetryOptions { MaxRetries = maxRetries },
            RetryObserver = retries,
        };

    /// <summary>A task created and waited for on the simulator (looked at every 50 ms): one with images to download.</summary>
    public static async Task<Models.TaskResponse> CompletedTaskAsync(RunApiSimulator simulator, string prompt = "a red cube")
    {
        var client = For(simulator);
        var created = await client.CreateAsync(new Models.TextToImageRequest(prompt));
        return await client.WaitAsync(created.Endpoint, created.Id, new RunApi.Client.WaitOptions { PollInterval = TimeSpan.FromMilliseconds(50) });
    }

    public static RunApiClient WithKey(RunApiSimulator simulator, string key) =>
        new(new RunApiSettings(simulator.BaseUri, new ApiKey(key)), Options());
}
