using System.Diagnostics;

namespace RunApi.PowerShell.Tests.Support;

/// <summary>
/// Real pwsh from the repository's tool manifest (dotnet tool restore, then dotnet tool run pwsh), started as a child
/// process, for tests that must kill a batch the way a crash or a scheduled job's time limit does.
/// </summary>
public static class RealPwsh
{
    private static readonly Lazy<Task> Restored = new(() => RunToEndAsync("tool", "restore"));

    /// <summary>Starts <paramref name="script"/> in a fresh pwsh with the built module available at its path.</summary>
    /// <param name="environment">Variables for that process alone (a proxy's, say), without touching this one's.</param>
    public static async Task<Process> StartAsync(string script, IReadOnlyDictionary<string, string>? environment = null, bool readOutput = true)
    {
        await Restored.Value;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = ModuleSession.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        foreach (var argument in new[] { "tool", "run", "pwsh", "--", "-NoProfile", "-NonInteractive", "-Command", script }) start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start pwsh.");
        if (readOutput)
        {
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
        }
        return process;
    }

    /// <summary>Runs <paramref name="script"/> in a fresh pwsh to its end: what it wrote to each stream, and its exit code.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string script, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = await StartAsync(script, environment, readOutput: false);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>
    /// Ends pwsh and everything it started at once, as kill -9 would: no cleanup runs. Returns once every one of
    /// those processes is gone (dotnet tool run starts pwsh two processes down).
    /// </summary>
    public static async Task KillAsync(Process process)
    {
        var tree = Descendants(process.Id).Select(TryGet).Where(p => p is not null).ToList();
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        foreach (var descendant in tree) await descendant!.WaitForExitAsync();
    }

    private static Process? TryGet(int id)
    {
        try
        {
            return Process.GetProcessById(id);
        }
        catch (ArgumentException)
        {
            return null; // already gone
        }
    }

    /// <summary>Child processes, read from /proc (Linux); elsewhere the tree kill alone has to do.</summary>
    private static IEnumerable<int> Descendants(int parent)
    {
        if (!OperatingSystem.IsLinux()) yield break;
        foreach (var child in ChildrenOf(parent))
        {
            yield return child;
            foreach (var grandchild in Descendants(child)) yield return grandchild;
        }
    }

    private static IEnumerable<int> ChildrenOf(int parent)
    {
        var children = new List<int>();
        try
        {
            foreach (var task in Directory.GetDirectories($"/proc/{parent}/task"))
            {
                children.AddRange(File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse));
            }
        }
        catch (IOException)
        {
            // The process or one of its threads has just ended.
        }
        return children;
    }

    private static async Task RunToEndAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = ModuleSession.RepoRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException("dotnet " + string.Join(" ", arguments) + " failed: " + await error);
    }
}
