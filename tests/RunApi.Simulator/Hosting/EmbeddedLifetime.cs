using Microsoft.Extensions.Hosting;

namespace RunApi.Simulator.Hosting;

/// <summary>
/// A host lifetime that hooks nothing. The default console lifetime registers process signal handlers for every
/// host; a simulator is embedded in tests and benchmarks many times over, and the owner decides when it stops.
/// </summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
