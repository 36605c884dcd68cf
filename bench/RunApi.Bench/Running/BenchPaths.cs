using System.Reflection;

namespace RunApi.Bench.Running;

/// <summary>Where the bench's child programs and the module are; the build bakes the folders into this assembly.</summary>
public static class BenchPaths
{
    public static string RepoRoot => Metadata("RunApi.Bench.RepoRoot");

    /// <summary>The module as <c>dotnet build -c Release</c> lays it out.</summary>
    public static string ModuleManifest => Path.Combine(RepoRoot, "out", "RunApi", "RunApi.psd1");

    public static ChildCommand Worker => Program(Metadata("RunApi.Bench.WorkerDirectory"), "RunApi.Bench.Worker");

    /// <summary>Real pwsh from the repository's tool manifest (dotnet tool restore); run with the repo root as folder.</summary>
    public static ChildCommand Pwsh => new(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", ["tool", "run", "pwsh", "--"]);

    public static ChildCommand ImportTimer => Program(Metadata("RunApi.Bench.ImportTimerDirectory"), "RunApi.ImportTimer");

    /// <summary>The native launcher when the SDK made one, else <c>dotnet NAME.dll</c>.</summary>
    private static ChildCommand Program(string directory, string name)
    {
        var launcher = Path.Combine(directory, OperatingSystem.IsWindows() ? name + ".exe" : name);
        if (File.Exists(launcher)) return new ChildCommand(launcher, []);
        var dll = Path.Combine(directory, name + ".dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"{name} is not built; build the bench with dotnet build bench/RunApi.Bench -c Release.", dll);
        return new ChildCommand(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [dll]);
    }

    private static string Metadata(string key) =>
        typeof(BenchPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"The bench was built without the '{key}' metadata.");
}

/// <summary>A program to start and the arguments that always come first.</summary>
public sealed record ChildCommand(string FileName, IReadOnlyList<string> LeadingArguments);
