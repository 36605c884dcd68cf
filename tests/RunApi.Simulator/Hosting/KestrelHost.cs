using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace RunApi.Simulator.Hosting;

/// <summary>
/// One Kestrel server on 127.0.0.1 with two listeners, the API origin and the files origin. Built from the empty
/// builder (no configuration sources, no logging providers) because every test starts one and start-up time adds up.
/// </summary>
internal sealed class KestrelHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ListenOptions _apiListener;
    private readonly ListenOptions _filesListener;

    private KestrelHost(WebApplication app, ListenOptions apiListener, ListenOptions filesListener)
    {
        _app = app;
        _apiListener = apiListener;
        _filesListener = filesListener;
    }

    /// <summary>The bound API port (the real one when 0 was asked for).</summary>
    public int ApiPort => _apiListener.IPEndPoint!.Port;

    public int FilesPort => _filesListener.IPEndPoint!.Port;

    public static async Task<KestrelHost> StartAsync(int apiPort, int filesPort, RequestDelegate handler, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        ListenOptions? api = null;
        ListenOptions? files = null;
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // HTTP/1.1 only: over plain HTTP a client would need prior knowledge for HTTP/2, and with one protocol a
            // dropped or truncated response means exactly one thing.
            kestrel.Listen(IPAddress.Loopback, apiPort, listen => (api = listen).Protocols = HttpProtocols.Http1);
            kestrel.Listen(IPAddress.Loopback, filesPort, listen => (files = listen).Protocols = HttpProtocols.Http1);
        });

        // Stopping never waits long: in-flight requests are cancelled first (see RunApiSimulator.DisposeAsync).
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));

        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync(cancellationToken);

        // Kestrel writes the bound endpoint (with the real port for port 0) back into each ListenOptions.
        return new KestrelHost(app, api!, files!);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync();
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}
