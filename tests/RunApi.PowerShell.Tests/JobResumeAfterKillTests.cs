using RunApi.PowerShell.Tests.Support;
using RunApi.Simulator;

namespace RunApi.PowerShell.Tests;

/// <summary>
/// A batch killed mid-way (a real pwsh, killed) and finished by Resume-ImagenJob from the job alone: each row paid
/// once. Apart from <see cref="JobResumeTests"/> so that its two long runs go beside them.
/// </summary>
public class JobResumeAfterKillTests
{
    private const string CreatePath = "/api/v1/imagen_4/text_to_image";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_batch_killed_mid_way_is_finished_by_Resume_ImagenJob_without_its_input_and_each_row_is_paid_once(bool inputRead)
    {
        // Creates take 300 ms: the kill finds some tasks made, some creates on the wire and some rows not sent (not read,
        // when the command reads one row per create place: the rest of the input would take seconds to be read).
        // Tasks take 3 s, so the kill comes while they generate.
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.FromSeconds(3) });
        session.Simulator.Faults.Add(FaultRule.Delay(TimeSpan.FromMilliseconds(300)).For("POST", CreatePath));
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var created = 0;
        session.Simulator.RequestCompleted += r =>
        {
            if (r.Method == "POST" && r.StatusCode == 200 && Interlocked.Increment(ref created) == 3) reached.TrySetResult();
        };
        var sim = session.Simulator;
        // With room for every row, the command reads its whole input at once; with 1, it reads as it sends.
        var throttle = inputRead ? 12 : 1;
        var child = await RealPwsh.StartAsync(
            $"$env:RUNAPI_BASE_URL = '{sim.BaseUri}'; $env:RUNAPI_API_KEY = '{sim.ApiKey}'; Import-Module '{ModuleSession.ModuleManifest}'; " +
            $"Set-Location '{session.Folder}'; 1..12 | ForEach-Object {{ \"prompt $_\" }} | New-ImagenImage -OutputDirectory ./out -JobName killed-{inputRead} -ThrottleLimit {throttle}");
        await reached.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await RealPwsh.KillAsync(child);
        var id = Assert.Single(session.Run($"Get-ImagenJob -Name killed-{inputRead}").Output).Get<string>("Id");
        var killed = Jobs.Get(session, id);
        Assert.Equal("Interrupted", killed.Get<string>("Status"));
        var known = killed.Get<int>("Rows");

        var result = session.Run($"Resume-ImagenJob -Id {id}");

        Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors.Select(e => e.ToString())));
        var job = Jobs.Get(session, id);
        Assert.Equal(known, job.Get<int>("Saved"));
        Assert.Equal(known, Directory.GetFiles(Path.Combine(session.Folder, "out")).Length);
        Assert.Equal(known, sim.Tasks.Count);                        // one task per row: nothing paid twice
        Assert.Equal(1_000_000 - known * 8, sim.BalanceCents);
        Assert.Equal(known, sim.Tasks.Select(t => t.Prompt).Distinct().Count());
        if (inputRead)
        {
            Assert.Equal(12, known);
            Assert.Equal("Completed", job.Get<string>("Status"));
            Assert.Equal(0, job.Get<int>("ExitCode"));
        }
        else
        {
            // The rows after the last one read are in the input only: the job says so, and how to give them.
            Assert.Equal("Interrupted", job.Get<string>("Status"));
            Assert.Contains(result.Warnings, w => w.Contains("before its command had read all its input") && w.Contains("-JournalPath"));
            var rest = session.Run($"1..12 | ForEach-Object {{ \"prompt $_\" }} | New-ImagenImage -OutputDirectory ./out -JournalPath '{job.Get<string>("JournalPath")}'");
            Assert.Empty(rest.Errors);
            Assert.Equal(12, sim.Tasks.Count);
            Assert.Equal("Completed", Jobs.Get(session, id).Get<string>("Status"));
        }
    }
}
