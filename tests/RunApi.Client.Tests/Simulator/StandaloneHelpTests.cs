using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using RunApi.Simulator;

namespace RunApi.Client.Tests.Simulator;

/// <summary>
/// <c>--help</c> of the standalone simulator, run as a process the three ways users start it: from the repository, as a
/// global tool (a launcher named runapi-simulator) and as a local tool (dotnet runs it). The tool layouts are made as
/// <c>dotnet tool install</c> makes them: the app with the DotnetToolSettings.xml that <c>dotnet pack</c> writes.
/// </summary>
public sealed class StandaloneHelpTests : IDisposable
{
    private const string ToolSettings = """
        <?xml version="1.0" encoding="utf-8"?>
        <DotNetCliTool Version="1">
          <Commands>
            <Command Name="runapi-simulator" EntryPoint="RunApi.Simulator.dll" Runner="dotnet" />
          </Commands>
        </DotNetCliTool>
        """;

    private static readonly string Build = Path.GetDirectoryName(typeof(RunApiSimulator).Assembly.Location)!;

    // The dotnet that runs these tests: /usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.x/ is three levels below it.
    private static readonly string DotnetRoot = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    private readonly string _tool = Directory.CreateTempSubdirectory("runapi-sim-tool-").FullName;

    [Fact]
    public void From_the_repository_the_usage_line_is_the_dotnet_run_command()
    {
        Assert.StartsWith("Usage: dotnet run --project tests/RunApi.Simulator [-- options]", Help(Dotnet, Path.Combine(Build, "RunApi.Simulator.dll")));
    }

    [Fact]
    public void Installed_as_a_global_tool_the_usage_line_is_the_tool_command()
    {
        LayOutTool();
        File.Copy(Path.Combine(Build, "RunApi.Simulator" + ExeSuffix), Path.Combine(_tool, "runapi-simulator" + ExeSuffix));

        Assert.StartsWith("Usage: runapi-simulator [options]", Help(Path.Combine(_tool, "runapi-simulator" + ExeSuffix)));
    }

    [Fact]
    public void Installed_as_a_local_tool_the_usage_line_is_dotnet_and_the_tool_command()
    {
        LayOutTool();

        Assert.StartsWith("Usage: dotnet runapi-simulator [options]", Help(Dotnet, Path.Combine(_tool, "RunApi.Simulator.dll")));
    }

    [Fact]
    public void The_readme_lists_every_option_that_help_lists()
    {
        var options = Regex.Matches(Help(Dotnet, Path.Combine(Build, "RunApi.Simulator.dll")), @"^\s+(--[a-z-]+)", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToList();
        var readme = File.ReadAllText(Path.Combine(RepoRoot(), "README.md"));
        var start = readme.IndexOf("## Try it without an account", StringComparison.Ordinal);
        var section = readme[start..readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal)];

        Assert.Contains("--rate-limit", options);
        Assert.All(options, option => Assert.Contains("`" + option, section));
    }

    public void Dispose() => Directory.Delete(_tool, recursive: true);

    private static string Dotnet => Path.Combine(DotnetRoot, "dotnet" + ExeSuffix);

    private static string ExeSuffix => OperatingSystem.IsWindows() ? ".exe" : string.Empty;

    /// <summary>The app's files as the tool's package holds them.</summary>
    private void LayOutTool()
    {
        foreach (var file in Directory.GetFiles(Build, "RunApi.Simulator.*")) File.Copy(file, Path.Combine(_tool, Path.GetFileName(file)));
        File.WriteAllText(Path.Combine(_tool, "DotnetToolSettings.xml"), ToolSettings);
    }

    private static string Help(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--help");
        start.Environment["DOTNET_ROOT"] = DotnetRoot; // where a launcher finds the runtime
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} --help exited with {process.ExitCode}: {errors}");
        return output.Result;
    }

    private static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "RunApi.PowerShell.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("RunApi.PowerShell.sln not found above " + AppContext.BaseDirectory);
    }
}
