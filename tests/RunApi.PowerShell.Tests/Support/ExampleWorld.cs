using System.Management.Automation;
using RunApi.Simulator;

namespace RunApi.PowerShell.Tests.Support;

/// <summary>
/// What the examples of the docs assume: one simulator for all of them (tasks complete at once, and every model has
/// been seen complete, so no wait is a cold one), and a folder of the files and earlier results they name, copied
/// fresh for each example. README.md ("Every example is a test") lists what it holds, for the writers of examples.
/// </summary>
public sealed class ExampleWorld : IAsyncLifetime
{
    /// <summary>Tasks that examples name by id: they exist on the simulator, made by the world's own batches.</summary>
    private static readonly string[] TextTaskIds = ["task_2c37ae62a56566ca9271ec48", "task_6f1c0e2d9b8a4c7f1e3d5b2a"];
    private const string RemixTaskId = "task_0b7e35a1c4f94d2e8a61f0c2";

    private string _template = "";
    private string? _jobPathBefore;

    /// <summary>The world's jobs, in the template folder; each example gets a copy (RUNAPI_JOB_PATH), so none sees another's.</summary>
    private const string JobFolder = ".jobs";

    public RunApiSimulator Simulator { get; private set; } = null!;

    /// <summary>$tasks: the tasks New-ImagenImage wrote for prompts.csv, as the README makes them.</summary>
    public IReadOnlyList<PSObject> Tasks { get; private set; } = [];

    /// <summary>$done: the same tasks once completed, with their images.</summary>
    public IReadOnlyList<PSObject> Done { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Simulator = await RunApiSimulator.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.Zero });
        _template = Directory.CreateTempSubdirectory("runapi-examples-").FullName;
        WriteInputFiles(_template);
        _jobPathBefore = Environment.GetEnvironmentVariable("RUNAPI_JOB_PATH");
        Environment.SetEnvironmentVariable("RUNAPI_JOB_PATH", Path.Combine(_template, JobFolder));
        // The batches that create the named tasks go first, alone, until those tasks exist. Then all run side by side:
        // each model's first wait is a cold one of a few seconds.
        var journalled = await StartNaming(TextTaskIds, "Import-Csv ./prompts.csv | New-ImagenImage -OutputDirectory ./out -JournalPath ./out/batch.jsonl");
        var remixed = await StartNaming([RemixTaskId], "New-ImagenImage 'the mug on a marble counter' -SourceImage ./photos/mug-front.jpg -Wait");
        await Task.WhenAll(
            journalled,
            remixed,
            RunAsync("""
                $tasks = Import-Csv ./prompts.csv | New-ImagenImage
                $done = $tasks | Wait-ImagenTask
                $done.Images | Export-Csv ./urls.csv -NoTypeInformation
                Import-Csv ./products.csv | New-ImagenImage | Export-Csv ./tasks.csv -NoTypeInformation
                """, session =>
            {
                Tasks = session.Run("$tasks").Output;
                Done = session.Run("$done").Output;
            }),
            RunAsync("Import-Csv ./products.csv | New-ImagenImage -OutputDirectory ./2026-05-products"),
            // The night's job of "A batch that ran overnight": a failed generation, and a row the budget left unsent.
            RunAsync("Import-Csv ./nightly.csv | New-ImagenImage -OutputDirectory ./nightly -JobName nightly -MaxCostUsd 0.24 -ErrorAction SilentlyContinue"),
            RunAsync("Import-Csv ./prompts.csv | New-ImagenImage -Model imagen-4-ultra -OutputDirectory ./archive/2025-12"));
    }

    /// <summary>A session in a fresh copy of the world's folder, with $tasks and $done, and the user's settings.</summary>
    public ModuleSession OpenSession()
    {
        var folder = Directory.CreateTempSubdirectory("runapi-example-").FullName;
        CopyFolder(_template, folder);
        MoveJobs(Path.Combine(folder, JobFolder), _template, folder);
        Environment.SetEnvironmentVariable("RUNAPI_JOB_PATH", Path.Combine(folder, JobFolder)); // the test restores it
        var session = ModuleSession.Open(Simulator, folder, ownsFolder: true);
        session.Host.TypedLine = Simulator.ApiKey;
        session.Runspace.SessionStateProxy.SetVariable("tasks", Tasks.ToArray());
        session.Runspace.SessionStateProxy.SetVariable("done", Done.ToArray());
        Run(session, $$"""
            $PSDefaultParameterValues['Get-RunApiBalance:BaseUri'] = '{{Simulator.BaseUri}}'
            $PSDefaultParameterValues['Get-RunApiBalance:ApiKey'] = '{{Simulator.ApiKey}}'
            # Stand-ins for the commands of modules that are not here. The module is imported already, and the vault
            # holds the key, as if the user had stored it.
            function Install-Module([Parameter(Mandatory, Position = 0)][string[]] $Name, [string] $Scope) {
                if ($Name -ne 'RunApi') { throw "The examples install only RunApi, not $Name." }
            }
            $RunApiExampleVault = @{ RunApiKey = [System.Net.NetworkCredential]::new('', '{{Simulator.ApiKey}}').SecurePassword }
            function Set-Secret([Parameter(Mandatory)][string] $Name, [Parameter(Mandatory)] $Secret) { $RunApiExampleVault[$Name] = $Secret }
            function Get-Secret([Parameter(Mandatory, Position = 0)][string] $Name) { $RunApiExampleVault[$Name] }
            """);
        return session;
    }

    /// <summary>
    /// The copied jobs name the example's folder instead of the template's (their output folders, journals and files);
    /// each summary names its journal's new length, so that it is believed as it was.
    /// </summary>
    private static void MoveJobs(string jobs, string from, string to)
    {
        if (!Directory.Exists(jobs)) return;
        foreach (var job in Directory.GetDirectories(jobs))
        {
            foreach (var file in Directory.GetFiles(job).Where(f => !f.EndsWith("summary.json", StringComparison.Ordinal)))
            {
                File.WriteAllText(file, File.ReadAllText(file).Replace(from, to, StringComparison.Ordinal));
            }
            var summary = Path.Combine(job, "summary.json");
            var journal = File.Exists(Path.Combine(job, "journal.jsonl")) ? Path.Combine(job, "journal.jsonl") : null;
            if (File.Exists(summary) && journal is not null)
            {
                File.WriteAllText(summary, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(summary),
                    "\"journalBytes\":\\d+", $"\"journalBytes\":{new FileInfo(journal).Length}"));
            }
        }
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("RUNAPI_JOB_PATH", _jobPathBefore);
        await Simulator.DisposeAsync();
        Directory.Delete(_template, recursive: true);
    }

    private static void WriteInputFiles(string folder)
    {
        File.WriteAllText(Path.Combine(folder, "prompts.csv"), """
            Prompt
            a red cube on a white table
            a lighthouse at dusk

            """);
        File.WriteAllText(Path.Combine(folder, "products.csv"), """
            Prompt,Model,AspectRatio
            "ceramic mug on a white background, studio light",imagen-4-fast,1:1
            "the same mug on a kitchen shelf, morning light",imagen-4,4:3

            """);
        File.WriteAllLines(Path.Combine(folder, "prompts.txt"), ["a paper boat on a pond", "a lighthouse on a cliff"]);
        File.WriteAllText(Path.Combine(folder, "nightly.csv"), """
            Prompt
            a teapot on a white background
            a teapot that cannot be drawn [fail]
            a teapot on a kitchen shelf
            a teapot in a garden

            """);
        Directory.CreateDirectory(Path.Combine(folder, "photos"));
        foreach (var photo in new[] { "mug-front.jpg", "mug-side.jpg", "photos/mug-front.jpg", "photos/mug-side.jpg" })
        {
            File.WriteAllBytes(Path.Combine(folder, photo), TestImages.Jpeg());
        }
    }

    /// <summary>Starts a step that creates tasks with these ids, and returns it once they exist (or it ended without them).</summary>
    private async Task<Task> StartNaming(string[] ids, string script)
    {
        var named = Simulator.UseTaskIds(ids);
        var step = RunAsync(script);
        await Task.WhenAny(named, step);
        if (step.IsFaulted) await step;
        return step;
    }

    /// <summary>Runs a step of making the world in a session of its own, in the world's folder.</summary>
    private Task RunAsync(string script, Action<ModuleSession>? then = null) => Task.Run(async () =>
    {
        await using var session = ModuleSession.Open(Simulator, _template, ownsFolder: false);
        Run(session, script);
        then?.Invoke(session);
    });

    private static ScriptResult Run(ModuleSession session, string script)
    {
        var result = session.Run(script);
        if (result.Errors.Count > 0) throw new InvalidOperationException($"The example world could not be made: {result.Errors[0]}\n{script}");
        return result;
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
