using System.Runtime.CompilerServices;

namespace RunApi.Tests.Support;

/// <summary>
/// Every test process keeps its jobs in a folder of its own, set before any test runs: no test ever writes into the
/// per-user job folder of the machine (~/.local/share/runapi/jobs, %LOCALAPPDATA%\RunApi\Jobs), whatever the
/// developer's environment says. Child processes (real pwsh) inherit it. Tests that list or remove jobs set their own
/// folder in the ProcessEnvironment collection (RunApi.PowerShell.ProcessTests), which runs alone.
/// </summary>
internal static class TestJobStore
{
    public static string Root { get; private set; } = "";

    [ModuleInitializer]
    internal static void UseATemporaryJobFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), $"runapi-test-jobs-{Environment.ProcessId}");
        Directory.CreateDirectory(Root);
        Environment.SetEnvironmentVariable("RUNAPI_JOB_PATH", Root);
    }
}
