using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using RunApi.Simulator;

namespace RunApi.PowerShell.Tests.Support;

/// <summary>
/// A real PowerShell runspace with the laid-out module (out/RunApi) imported, pointed at a fresh simulator through
/// $PSDefaultParameterValues, as a user would set it in a profile. Per runspace, so parallel tests cannot mix.
/// </summary>
public sealed class ModuleSession : IAsyncDisposable
{
    private readonly bool _ownsSimulator;
    private readonly bool _ownsFolder;

    private ModuleSession(RunApiSimulator simulator, Runspace runspace, RecordingHost host, string folder, bool ownsSimulator, bool ownsFolder)
    {
        Simulator = simulator;
        Runspace = runspace;
        Host = host;
        Folder = folder;
        _ownsSimulator = ownsSimulator;
        _ownsFolder = ownsFolder;
    }

    public RunApiSimulator Simulator { get; }

    /// <summary>What reached the screen: -WhatIf lines, progress.</summary>
    public RecordingHost Host { get; }
    public Runspace Runspace { get; }

    /// <summary>The current location, a temporary folder: deleted with the session if the session owns it.</summary>
    public string Folder { get; }

    public static string ModuleManifest { get; } = Path.Combine(FindRepoRoot(), "out", "RunApi", "RunApi.psd1");

    public static async Task<ModuleSession> StartAsync(SimulatorOptions? options = null, bool configureDefaults = true)
    {
        var simulator = await RunApiSimulator.StartAsync(options ?? new SimulatorOptions { GenerationTime = TimeSpan.Zero });
        var folder = Directory.CreateTempSubdirectory("runapi-ps-").FullName;
        return Open(simulator, folder, configureDefaults, ownsSimulator: true, ownsFolder: true);
    }

    /// <summary>A session on a simulator that outlives it, in a folder that it deletes if <paramref name="ownsFolder"/>.</summary>
    public static ModuleSession Open(RunApiSimulator simulator, string folder, bool ownsFolder) =>
        Open(simulator, folder, configureDefaults: true, ownsSimulator: false, ownsFolder);

    private static ModuleSession Open(RunApiSimulator simulator, string folder, bool configureDefaults, bool ownsSimulator, bool ownsFolder)
    {
        var host = new RecordingHost();
        var runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
        runspace.Open();
        var session = new ModuleSession(simulator, runspace, host, folder, ownsSimulator, ownsFolder);
        // Set-Location lives in a module the bare engine lacks; the session state API is always there.
        var setup = session.Run($"Import-Module '{ModuleManifest}' -ErrorAction Stop; $null = $ExecutionContext.SessionState.Path.SetLocation('{folder}')");
        if (setup.Errors.Count > 0) throw new InvalidOperationException("Session setup failed: " + setup.Errors[0]);
        if (configureDefaults)
        {
            session.Run($"$PSDefaultParameterValues['*-Imagen*:BaseUri'] = '{simulator.BaseUri}'; " +
                        $"$PSDefaultParameterValues['*-Imagen*:ApiKey'] = '{simulator.ApiKey}'");
        }
        return session;
    }

    /// <summary>Runs a script and returns everything it wrote, stream by stream.</summary>
    public ScriptResult Run(string script)
    {
        using var shell = System.Management.Automation.PowerShell.Create();
        shell.Runspace = Runspace;
        shell.AddScript(script);
        var output = shell.Invoke();
        return new ScriptResult(output, shell.Streams);
    }

    /// <summary>Starts a script without waiting, for tests that stop it.</summary>
    public System.Management.Automation.PowerShell Begin(string script, out IAsyncResult pending)
    {
        var shell = System.Management.Automation.PowerShell.Create();
        shell.Runspace = Runspace;
        shell.AddScript(script);
        pending = shell.BeginInvoke();
        return shell;
    }

    public async ValueTask DisposeAsync()
    {
        Runspace.Dispose();
        if (_ownsSimulator) await Simulator.DisposeAsync();
        if (!_ownsFolder) return;
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static string RepoRoot { get; } = FindRepoRoot();

    private static string FindRepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "RunApi.PowerShell.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("RunApi.PowerShell.sln not found above " + AppContext.BaseDirectory);
    }
}

public static class PSObjectExtensions
{
    /// <summary>A property of an emitted object, converted to T.</summary>
    public static T Get<T>(this PSObject item, string name) =>
        LanguagePrimitives.ConvertTo<T>(item.Properties[name]?.Value ?? throw new KeyNotFoundException(name + " is null or missing"));

    public static object? Raw(this PSObject item, string name) => item.Properties[name]?.Value;

    /// <summary>What PowerShell 7 shows of an error: its message, and its recommendation on a line of its own.</summary>
    public static string Shown(this ErrorRecord error) =>
        (error.ErrorDetails?.Message ?? error.Exception.Message) + "\n" + error.ErrorDetails?.RecommendedAction;
}

/// <summary>What a script wrote to each stream.</summary>
public sealed class ScriptResult(Collection<PSObject> output, PSDataStreams streams)
{
    public IReadOnlyList<PSObject> Output { get; } = output;
    public IReadOnlyList<ErrorRecord> Errors { get; } = streams.Error.ToList();
    public IReadOnlyList<string> Verbose { get; } = streams.Verbose.Select(v => v.Message).ToList();
    public IReadOnlyList<string> Debug { get; } = streams.Debug.Select(v => v.Message).ToList();
    public IReadOnlyList<string> Warnings { get; } = streams.Warning.Select(v => v.Message).ToList();
    public IReadOnlyList<string> Information { get; } = streams.Information.Select(v => v.MessageData?.ToString() ?? string.Empty).ToList();

    public IEnumerable<T> Objects<T>() => Output.Select(o => o.BaseObject).OfType<T>();

    /// <summary>Output objects of a module type, by its full name (the test does not load the module's assembly).</summary>
    public IReadOnlyList<PSObject> OfType(string typeName) => Output.Where(o => o.TypeNames.Contains(typeName)).ToList();

    public IReadOnlyList<PSObject> Tasks() => OfType("RunApi.ImagenTask");

    /// <summary>Every piece of text the script produced, for scanning (secrets must not be in it).</summary>
    public string AllText() => string.Join("\n",
        Output.Select(o => o.ToString())
            .Concat(Errors.Select(e => e + " " + e.ErrorDetails?.Message + " " + e.ErrorDetails?.RecommendedAction + " " + e.Exception + " " + e.TargetObject))
            .Concat(Verbose).Concat(Debug).Concat(Warnings).Concat(Information));
}
