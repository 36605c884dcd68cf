using System.Diagnostics;
using RunApi.PowerShell.Tests.Support;
using RunApi.Simulator;

namespace RunApi.PowerShell.Tests;

/// <summary>
/// -MaxDuration: no create after the deadline, paid tasks waited for a short grace past it, the rest left in the job
/// (CutOff, exit code 5) for Resume-ImagenJob, which finishes it paying each row once.
/// </summary>
public class JobCutoffTests
{
    private const string CreatePath = "/api/v1/imagen_4/text_to_image";

    [Fact]
    public async Task A_batch_cut_off_by_MaxDuration_sends_nothing_after_its_deadline_and_a_resume_finishes_it()
    {
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.FromMilliseconds(1500) });
        var sim = session.Simulator;
        sim.Faults.Add(FaultRule.Delay(TimeSpan.FromMilliseconds(300)).For("POST", CreatePath));
        var clock = Stopwatch.StartNew();

        var result = session.Run("1..20 | ForEach-Object { \"prompt $_\" } | New-ImagenImage -OutputDirectory ./out -MaxDuration 00:00:02 -ThrottleLimit 2");

        clock.Stop();
        Assert.Empty(result.Errors);
        // Cut off: the whole batch takes 18 s or more (20 tasks of 1.8 s, 2 at a time); this one, its 2 s, the grace
        // of 0.2 s, and the few seconds a create already on the wire may take to be answered.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(12), $"took {clock.Elapsed}");
        var id = Jobs.IdOf(result);
        // Nothing sent after the deadline, counted from the command's own start (the job's), not this test's.
        var commandStarted = session.Run($"(Get-ImagenJob -Id {id}).StartedAt").Output.Single().BaseObject switch
        {
            DateTimeOffset at => at,
            DateTime at => new DateTimeOffset(at),
            var other => throw new InvalidOperationException($"StartedAt is {other}"),
        };
        Assert.All(sim.Requests.Where(r => r.Method == "POST"), r =>
            Assert.True(r.ReceivedAt - commandStarted < TimeSpan.FromSeconds(2) + TimeSpan.FromMilliseconds(100), $"a create at {r.ReceivedAt - commandStarted}"));
        var warning = Assert.Single(result.Warnings, w => w.Contains("-MaxDuration"));
        Assert.Contains($"Resume-ImagenJob -Id {id}", warning);
        var job = Assert.Single(session.Run($"Get-ImagenJob -Id {id}").Output);
        Assert.Equal("CutOff", job.Get<string>("Status"));
        Assert.Equal(5, job.Get<int>("ExitCode"));
        Assert.Equal(20, job.Get<int>("Rows"));
        Assert.True(job.Get<int>("NotSent") > 0);
        Assert.Equal(20, job.Get<int>("Saved") + job.Get<int>("Pending") + job.Get<int>("NotSent"));
        Assert.Equal(sim.Tasks.Count, job.Get<int>("Saved") + job.Get<int>("Pending"));

        var resumed = session.Run($"Resume-ImagenJob -Id {id}");

        Assert.Empty(resumed.Errors);
        Assert.Equal("Completed", session.Run($"Get-ImagenJob -Id {id}").Output.Single().Get<string>("Status"));
        Assert.Equal(20, sim.Tasks.Count);
        Assert.Equal(1_000_000 - 20 * 8, sim.BalanceCents);
        Assert.Equal(20, Directory.GetFiles(Path.Combine(session.Folder, "out")).Length);
    }

    [Fact]
    public async Task A_resume_has_a_time_box_of_its_own()
    {
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.FromMilliseconds(1500) });
        session.Simulator.Faults.Add(FaultRule.Delay(TimeSpan.FromMilliseconds(300)).For("POST", CreatePath));
        var id = Jobs.IdOf(session.Run("1..12 | ForEach-Object { \"prompt $_\" } | New-ImagenImage -Wait -MaxDuration 00:00:01 -ThrottleLimit 1 -WarningAction SilentlyContinue"));

        var resumed = session.Run($"Resume-ImagenJob -Id {id} -MaxDuration 00:00:01 -WarningAction SilentlyContinue");

        Assert.Empty(resumed.Errors);
        var job = Assert.Single(session.Run($"Get-ImagenJob -Id {id}").Output);
        Assert.Equal("CutOff", job.Get<string>("Status"));
        Assert.True(job.Get<int>("NotSent") > 0);
    }

    [Fact]
    public async Task MaxDuration_must_be_a_length_of_time_from_a_second_to_31_days()
    {
        await using var session = await ModuleSession.StartAsync();

        var refused = session.Run("try { New-ImagenImage 'a' -MaxDuration 0 } catch { $_.Exception.Message }");

        Assert.Contains("-MaxDuration must be from 1 second to 31 days", refused.Output.Single().ToString());
        Assert.DoesNotContain(session.Simulator.Requests, r => r.Method == "POST");
    }
}
