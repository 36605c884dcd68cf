using System.Globalization;
using RunApi.Bench.Running;

namespace RunApi.Bench.Import;

/// <summary>One cold pwsh: the process from start to exit, and Import-Module alone as pwsh's own stopwatch saw it (ms).</summary>
public sealed record PwshImportSample(double ProcessMs, double ImportMs);

/// <summary>The samples of the module and of an empty manifest module, taken alternately.</summary>
public sealed record PwshImportResult(string ModuleFolder, IReadOnlyList<PwshImportSample> Module, IReadOnlyList<PwshImportSample> EmptyModule);

/// <summary>
/// Cold import in real pwsh 7.6.9 (the repository's tool): each sample is a fresh <c>pwsh -NoProfile -c 'Import-Module
/// NAME'</c>, with the module found by name through PSModulePath as an installed one is. An empty manifest module is
/// imported the same way, alternately, so the module's own share is the difference of the medians.
/// </summary>
public static class PwshImportBenchmark
{
    public const string Scenario = "import-pwsh";
    private const string EmptyName = "RunApiBenchEmpty";
    private static readonly TimeSpan PerRunLimit = TimeSpan.FromSeconds(60);

    /// <param name="moduleFolder">A module folder named RunApi: out/RunApi, or another build of it to compare.</param>
    public static async Task<PwshImportResult> RunAsync(string moduleFolder, int runs, TextWriter progress)
    {
        if (!File.Exists(Path.Combine(moduleFolder, "RunApi.psd1")))
        {
            throw new FileNotFoundException($"There is no RunApi module in {moduleFolder}: run 'dotnet build -c Release' first.");
        }
        var pwsh = await ResolvePwshAsync();
        var emptyRoot = Path.Combine(Path.GetTempPath(), "runapi-bench-pwsh-import-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(emptyRoot, EmptyName));
        await File.WriteAllTextAsync(Path.Combine(emptyRoot, EmptyName, EmptyName + ".psd1"), "@{ ModuleVersion = '1.0.0' }\n");
        var modulePath = string.Join(Path.PathSeparator, Path.GetDirectoryName(Path.GetFullPath(moduleFolder).TrimEnd(Path.DirectorySeparatorChar))!, emptyRoot);
        try
        {
            var module = new List<PwshImportSample>();
            var empty = new List<PwshImportSample>();
            for (var i = 0; i < runs; i++)
            {
                progress.WriteLine($"[{Scenario}] run {i + 1} of {runs}");
                module.Add(await MeasureAsync(pwsh, "RunApi", modulePath));
                empty.Add(await MeasureAsync(pwsh, EmptyName, modulePath));
            }
            return new PwshImportResult(moduleFolder, module, empty);
        }
        finally
        {
            Directory.Delete(emptyRoot, recursive: true);
        }
    }

    /// <summary>pwsh.dll of the tool manifest's PowerShell, started directly: <c>dotnet tool run</c> would add its own start-up.</summary>
    private static async Task<ChildCommand> ResolvePwshAsync()
    {
        var outcome = await ChildProcess.RunAsync(BenchPaths.Pwsh, ["-NoProfile", "-c", "$PSHOME"], PerRunLimit, workingDirectory: BenchPaths.RepoRoot);
        if (outcome.ExitCode != 0) throw new InvalidOperationException("dotnet tool run pwsh failed (dotnet tool restore first): " + outcome.StandardError.Trim());
        var dll = Path.Combine(outcome.StandardOutput.Trim(), "pwsh.dll");
        return new ChildCommand(BenchPaths.Pwsh.FileName, [dll]);
    }

    private static async Task<PwshImportSample> MeasureAsync(ChildCommand pwsh, string name, string modulePath)
    {
        var script = $"$s = [Diagnostics.Stopwatch]::StartNew(); Import-Module {name} -ErrorAction Stop; $s.Elapsed.TotalMilliseconds.ToString([cultureinfo]::InvariantCulture)";
        var outcome = await ChildProcess.RunAsync(pwsh, ["-NoProfile", "-NonInteractive", "-Command", script], PerRunLimit,
            new Dictionary<string, string> { ["PSModulePath"] = modulePath });
        if (outcome.TimedOut || outcome.ExitCode != 0)
        {
            throw new InvalidOperationException($"pwsh -c 'Import-Module {name}' failed (exit {outcome.ExitCode}): {outcome.StandardError.Trim()}");
        }
        return new PwshImportSample(outcome.Elapsed.TotalMilliseconds, double.Parse(outcome.StandardOutput.Trim(), CultureInfo.InvariantCulture));
    }
}
