using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RunApi.PowerShell.Tests.Support;

/// <summary>
/// A real forward proxy that asks for Basic authentication: Debian's tinyproxy, started on a free loopback port with a
/// configuration of its own, logging every request it is asked to carry. Stopped (killed) on dispose.
/// </summary>
public sealed class Tinyproxy : IAsyncDisposable
{
    public const string User = "alice";

    /// <summary>A password to be found in no output (tinyproxy's configuration takes letters, digits, '-', '_' and '.').</summary>
    public const string Password = "Zq7-pr0xy.Secret_x";

    private readonly Process _process;
    private readonly string _folder;

    private Tinyproxy(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Address { get; }

    /// <summary>The program, where the distribution puts it; null when it is not installed.</summary>
    public static string? Executable { get; } =
        new[] { "/usr/bin/tinyproxy", "/usr/sbin/tinyproxy", "/usr/local/bin/tinyproxy" }.FirstOrDefault(File.Exists);

    /// <summary>Every line the proxy logged so far (with LogLevel Connect: each connection and each request line).</summary>
    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : string.Empty;

    public string LogPath => Path.Combine(_folder, "tinyproxy.log");

    public static async Task<Tinyproxy> StartAsync()
    {
        var executable = Executable ?? throw new InvalidOperationException("tinyproxy is not installed (apt-get install tinyproxy).");
        var folder = Directory.CreateTempSubdirectory("runapi-proxy-").FullName;
        var port = FreePort();
        await File.WriteAllTextAsync(Path.Combine(folder, "tinyproxy.conf"), $"""
            Port {port}
            Listen 127.0.0.1
            Timeout 60
            LogFile "{Path.Combine(folder, "tinyproxy.log")}"
            LogLevel Connect
            MaxClients 200
            BasicAuth {User} {Password}
            Allow 127.0.0.1
            DisableViaHeader Yes
            """);
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-d", "-c", Path.Combine(folder, "tinyproxy.conf") }) start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException("tinyproxy did not start.");
        _ = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        var proxy = new Tinyproxy(process, folder, port);
        // A separate program tells no one when it listens: connect until it accepts, or it has exited.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException("tinyproxy exited: " + await errors);
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return proxy;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>
/// A test that needs a real proxy server: skipped where tinyproxy is not installed, unless RUNAPI_REQUIRE_PROXY is set
/// (CI, whose .ci/run installs it), where a missing proxy fails it.
/// </summary>
public sealed class ProxyFactAttribute : FactAttribute
{
    public ProxyFactAttribute()
    {
        if (Tinyproxy.Executable is null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("RUNAPI_REQUIRE_PROXY")))
        {
            Skip = "tinyproxy is not installed (apt-get install tinyproxy); set RUNAPI_REQUIRE_PROXY=1 to make this a failure.";
        }
    }
}
