using System.Management.Automation;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RunApi.PowerShell.Tests.Support;

/// <summary>The jobs a test's batches made, found by the closing line that names each, in the test process's job folder.</summary>
public static partial class Jobs
{
    /// <summary>Where jobs are now (RUNAPI_JOB_PATH, which every test process sets).</summary>
    public static string Root => Environment.GetEnvironmentVariable("RUNAPI_JOB_PATH")
                                 ?? throw new InvalidOperationException("RUNAPI_JOB_PATH is not set: no test may write into the user's job folder.");

    /// <summary>The id of the job a batch's closing line names.</summary>
    public static string IdOf(ScriptResult result)
    {
        var named = result.Information.Select(line => ClosingLine().Match(line)).Where(m => m.Success).ToList();
        Assert.True(named.Count == 1, "No closing line names a job: " + string.Join(" | ", result.Information));
        return named[0].Groups["id"].Value;
    }

    public static string Folder(string id) => Path.Combine(Root, id);

    /// <summary>The job of this id, as Get-ImagenJob shows it.</summary>
    public static PSObject Get(ModuleSession session, string id) => Assert.Single(session.Run($"Get-ImagenJob -Id {id}").Output);

    public static JsonElement Record(string id) => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder(id), "job.json"))).RootElement;

    public static JsonElement Summary(string id) => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder(id), "summary.json"))).RootElement;

    /// <summary>Runs <paramref name="test"/> with jobs in a folder of its own (for tests that list or remove jobs; only in the ProcessEnvironment collection of RunApi.PowerShell.ProcessTests).</summary>
    public static async Task InOwnFolder(Func<string, Task> test)
    {
        var saved = Environment.GetEnvironmentVariable("RUNAPI_JOB_PATH");
        var folder = Directory.CreateTempSubdirectory("runapi-jobs-").FullName;
        Environment.SetEnvironmentVariable("RUNAPI_JOB_PATH", folder);
        try
        {
            await test(folder);
        }
        finally
        {
            Environment.SetEnvironmentVariable("RUNAPI_JOB_PATH", saved);
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    [GeneratedRegex(@" Job (?<id>[0-9a-z]{8}): Get-ImagenJob -Id \k<id>$")]
    private static partial Regex ClosingLine();
}
