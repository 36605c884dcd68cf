using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace RunApi.Simulator.Standalone;

/// <summary>
/// <c>dotnet run --project tests/RunApi.Simulator</c> or the tool <c>runapi-simulator</c>: starts a simulator on fixed ports (5080/5081 when free),
/// prints how to point the module at it, logs one line per request and runs until Ctrl+C.
/// </summary>
internal static class StandaloneRunner
{
    private const int DefaultApiPort = 5080;
    private const int DefaultFilesPort = 5081;

    public static async Task<int> RunAsync(string[] args)
    {
        StandaloneArguments arguments;
        try
        {
            arguments = StandaloneArguments.Parse(args);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(StandaloneArguments.Usage(LaunchCommand.Current));
            return 2;
        }

        if (arguments.Help)
        {
            Console.WriteLine(StandaloneArguments.Usage(LaunchCommand.Current));
            return 0;
        }

        var options = new SimulatorOptions
        {
            // An explicit port must be honoured or fail; a default one quietly gives way to a free port.
            ApiPort = arguments.Port ?? (IsFree(DefaultApiPort) ? DefaultApiPort : 0),
            FilesPort = arguments.FilesPort ?? (IsFree(DefaultFilesPort) ? DefaultFilesPort : 0),
            GenerationTime = TimeSpan.FromMilliseconds(arguments.GenerationMs),
        };
        if (arguments.Key is not null)
        {
            options.ApiKey = arguments.Key;
        }

        if (arguments.BalanceCents is long balance)
        {
            options.BalanceCents = balance;
        }

        if (arguments.ImageBytes is int imageBytes)
        {
            options.ImageBytes = imageBytes;
        }

        options.RateLimitPerSecond = arguments.RatePerSecond;

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Stop(PosixSignalContext context)
        {
            // Keep the process alive until the simulator has shut down cleanly.
            context.Cancel = true;
            stop.TrySetResult();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        RunApiSimulator simulator;
        try
        {
            simulator = await RunApiSimulator.StartAsync(options);
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"Cannot start: {ex.Message} Choose other ports with --port and --files-port.");
            return 1;
        }

        await using var running = simulator;
        var api = simulator.BaseUri.GetLeftPart(UriPartial.Authority);
        Console.WriteLine($"""
            RunAPI simulator
              API:   {api}
              Files: {simulator.FilesBaseUri.GetLeftPart(UriPartial.Authority)}
              Key:   {simulator.ApiKey}
              Tasks complete after {arguments.GenerationMs} ms; a prompt containing {options.FailureMarker} fails.

            Paste into PowerShell:
            $env:RUNAPI_BASE_URL = '{api}'
            $env:RUNAPI_API_KEY = '{simulator.ApiKey}'

            Press Ctrl+C to stop.
            """);

        if (!arguments.Quiet)
        {
            simulator.RequestCompleted += r => Console.WriteLine(
                $"{r.CompletedAt.ToLocalTime():HH:mm:ss.fff} {r.Method,-6} {r.Path}{r.QueryString} -> {(r.StatusCode == 0 ? "dropped" : r.StatusCode)} {r.RequestId}");
        }

        await stop.Task;
        Console.WriteLine("Stopping.");
        return 0;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
