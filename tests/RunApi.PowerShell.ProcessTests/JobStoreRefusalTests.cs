using RunApi.PowerShell.Tests.Support;

namespace RunApi.PowerShell.Tests;

/// <summary>A job store that cannot be written: the command ends before anything is sent, saying so.</summary>
[Collection(nameof(ProcessEnvironment))]
public class JobStoreRefusalTests
{
    [Fact]
    public async Task A_job_folder_that_cannot_be_written_ends_the_command_before_anything_is_sent()
    {
        await using var session = await ModuleSession.StartAsync();
        var blocked = Path.Combine(session.Folder, "not-a-folder");
        File.WriteAllText(blocked, "a file where the job folder should be");
        var saved = Environment.GetEnvironmentVariable("RUNAPI_JOB_PATH");
        Environment.SetEnvironmentVariable("RUNAPI_JOB_PATH", Path.Combine(blocked, "jobs"));
        try
        {
            var result = session.Run("try { 'a red cube','a blue cube' | New-ImagenImage -OutputDirectory ./out -ErrorAction Stop } catch { $_ }");

            var error = Assert.Single(result.Output).BaseObject as System.Management.Automation.ErrorRecord;
            Assert.NotNull(error);
            Assert.StartsWith("RunApiJobStoreUnusable", error!.FullyQualifiedErrorId);
            Assert.Contains("RUNAPI_JOB_PATH", error.Exception.Message);
            Assert.DoesNotContain(session.Simulator.Requests, r => r.Method == "POST");
        }
        finally
        {
            Environment.SetEnvironmentVariable("RUNAPI_JOB_PATH", saved);
        }
    }
}
