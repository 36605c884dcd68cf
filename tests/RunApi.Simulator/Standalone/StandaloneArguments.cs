using System.Globalization;

namespace RunApi.Simulator.Standalone;

/// <summary>Command-line options of the standalone simulator.</summary>
internal sealed record StandaloneArguments(
    int? Port,
    int? FilesPort,
    string? Key,
    int GenerationMs,
    long? BalanceCents,
    int? ImageBytes,
    double? RatePerSecond,
    bool Quiet,
    bool Help)
{
    /// <summary>The help text, its usage line naming <paramref name="command"/> (see <see cref="LaunchCommand"/>).</summary>
    public static string Usage(string command) => $"""
        Usage: {command}
          --port N           API port (default 5080, or a free port if 5080 is taken)
          --files-port N     files origin port (default 5081, or a free port if taken)
          --key KEY          the accepted API key (default sim-0123456789abcdef0123456789abcdef)
          --generation-ms N  time each task takes to complete (default 3000)
          --balance-cents N  starting balance (default 1000000)
          --image-bytes N    pad each generated PNG to about N bytes (default: small natural PNG)
          --rate-limit N     per-key limit of N API requests a second (a token bucket; 429 above it; default none)
          --quiet            do not print a line per request
          --help             show this text
        A prompt containing [fail] makes the task fail (and be refunded).
        """;

    public static StandaloneArguments Parse(string[] args)
    {
        var result = new StandaloneArguments(null, null, null, 3000, null, null, null, false, false);
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Int() => int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture);
            result = args[i] switch
            {
                "--port" => result with { Port = Int() },
                "--files-port" => result with { FilesPort = Int() },
                "--key" => result with { Key = Value() },
                "--generation-ms" => result with { GenerationMs = Int() },
                "--balance-cents" => result with { BalanceCents = long.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture) },
                "--image-bytes" => result with { ImageBytes = Int() },
                "--rate-limit" => result with { RatePerSecond = double.Parse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture) },
                "--quiet" => result with { Quiet = true },
                "--help" or "-h" or "-?" => result with { Help = true },
                var other => throw new ArgumentException($"Unknown option '{other}'."),
            };
        }

        return result;
    }
}
