using RunApi.Client.Configuration;
using RunApi.Simulator;

namespace RunApi.Client.Tests.Support;

internal static class Clients
{
    public static RunApiClient For(RunApiSimulator simulator, TimeProvider? time = null, Action<Http.HttpExchange>? observer = null, bool captureBodies = false) =>
        new(new RunApiSettings(simulator.BaseUri, new ApiKey(simulator.ApiKey)),
            new RunApiClientOptions { TimeProvider = time ?? TimeProvider.System, Observer = observer, CaptureBodies = captureBodies });

    public static RunApiClient WithKey(RunApiSimulator simulator, string key) =>
        new(new RunApiSettings(simulator.BaseUri, new ApiKey(key)));
}
