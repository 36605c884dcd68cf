using System.Runtime.InteropServices;

namespace RunApi.Bench.Reporting;

/// <summary>The lines above the table: when, on what, and the command that reproduces the run.</summary>
public static class ReportHeader
{
    public static string Render(string[] args)
    {
        var command = "dotnet run -c Release --project bench/RunApi.Bench" + (args.Length == 0 ? "" : " -- " + string.Join(' ', args.Select(Quote)));
        return $"""
            RunApi bench, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC
            Machine: {Environment.ProcessorCount} cores ({CpuModel()}), {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}
            Command: {command}
            """;
    }

    private static string Quote(string arg) => arg.Any(char.IsWhiteSpace) ? $"'{arg}'" : arg;

    /// <summary>The "model name" line of /proc/cpuinfo, where there is one.</summary>
    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}
