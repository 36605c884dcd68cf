using System.Management.Automation;
using RunApi.PowerShell.Tests.Support;
using RunApi.Simulator;

namespace RunApi.PowerShell.Tests;

/// <summary>
/// Resume-ImagenJob: a job finished from the job alone, without its input: paid tasks waited for and saved, unanswered
/// creates sent again with their keys, rows never sent sent; -RetryFailed re-sends only the rows whose cause may pass,
/// shown with their cost by -WhatIf and held by -MaxCostUsd. Never a second charge for a paid row.
/// </summary>
public class JobResumeTests
{
    private const string CreatePath = "/api/v1/imagen_4/text_to_image";

    private static int Posts(ModuleSession session) => session.Simulator.Requests.Count(r => r.Method == "POST");

    [Fact]
    public async Task RetryFailed_sends_again_only_rows_whose_cause_may_pass_shows_their_cost_and_keeps_the_saved_rows()
    {
        await using var session = await ModuleSession.StartAsync();
        var sim = session.Simulator;
        // The first create is refused as invalid; the first task made fails once (its generation, then RunAPI's answer).
        sim.Faults.Add(FaultRule.Respond(422, """{"error":"Validation failed","errors":{"prompt":["is not allowed"]}}""").For("POST", CreatePath).Times(1));
        _ = sim.UseTaskIds("task_fails_once_0000000001", "task_saved_00000000000002");
        sim.Faults.Add(FaultRule.Rewrite(body => body.Replace("\"status\":\"completed\"", "\"status\":\"failed\",\"error\":\"Generation failed\""))
            .For("GET", CreatePath + "/task_fails_once_0000000001").Times(1));
        var first = session.Run("'a refused cone', 'a cube that fails once', 'a sphere' | New-ImagenImage -OutputDirectory ./out -ThrottleLimit 1 -ErrorAction SilentlyContinue");
        var id = Jobs.IdOf(first);
        var before = Jobs.Get(session, id);
        Assert.Equal((1, 2), (before.Get<int>("Saved"), before.Get<int>("Failed")));
        var rows = session.Run($"Get-ImagenJob -Id {id} -Row").Output;
        Assert.Equal(["Failed", "Failed", "Saved"], rows.Select(r => r.Get<string>("Status")));
        Assert.Equal([false, true, false], rows.Select(r => r.Get<bool>("Retryable")));
        var saved = Directory.GetFiles(Path.Combine(session.Folder, "out")).Single();
        var savedAt = File.GetLastWriteTimeUtc(saved);
        var posts = Posts(session);

        var plain = session.Run($"Resume-ImagenJob -Id {id}");
        Assert.Equal(posts, Posts(session));
        Assert.Contains(plain.Warnings, w => w.Contains("2 failed row(s) were left") && w.Contains("1 of them") && w.Contains("-RetryFailed"));

        var whatIf = session.Run($"Get-ImagenJob -Id {id} | Resume-ImagenJob -RetryFailed -WhatIf");
        Assert.Empty(whatIf.Errors);
        Assert.Equal(posts, Posts(session));
        Assert.Contains(session.Host.Lines, l => l.Contains("Retry journal row 1, which failed (RunApiTaskFailed): 1 new imagen-4 task (estimated $0.08)"));
        Assert.DoesNotContain(session.Host.Lines, l => l.Contains("journal row 0") || l.Contains("'a sphere'"));

        var held = session.Run($"Resume-ImagenJob -Id {id} -RetryFailed -MaxCostUsd 0.05 -ErrorAction SilentlyContinue");
        Assert.Equal(posts, Posts(session));
        Assert.Contains(held.Information, l => l.Contains(id));

        var retried = session.Run($"Resume-ImagenJob -Id {id} -RetryFailed");
        Assert.Empty(retried.Errors);
        Assert.Equal(posts + 1, Posts(session));
        var after = Jobs.Get(session, id);
        Assert.Equal((2, 1, 0, 0), (after.Get<int>("Saved"), after.Get<int>("Failed"), after.Get<int>("Pending"), after.Get<int>("NotSent")));
        Assert.Equal("CompletedWithErrors", after.Get<string>("Status"));
        Assert.Equal(4, after.Get<int>("ExitCode")); // the row RunAPI refused as invalid
        Assert.Equal(savedAt, File.GetLastWriteTimeUtc(saved)); // the saved row was kept, not fetched again
        Assert.Equal(2, Directory.GetFiles(Path.Combine(session.Folder, "out")).Length);
    }

    [Fact]
    public async Task A_job_cut_off_by_its_budget_is_finished_by_a_resume_with_a_budget_of_its_own()
    {
        await using var session = await ModuleSession.StartAsync();
        var id = Jobs.IdOf(session.Run("'a','b','c','d' | New-ImagenImage -Wait -MaxCostUsd 0.16 -ErrorAction SilentlyContinue"));
        var cut = Jobs.Get(session, id);
        Assert.Equal(("CutOff", 2, 2), (cut.Get<string>("Status"), cut.Get<int>("Saved"), cut.Get<int>("NotSent")));

        var resumed = session.Run($"Resume-ImagenJob -Id {id}");

        Assert.Empty(resumed.Errors);
        Assert.Equal(2, resumed.Tasks().Count); // -Wait: the tasks, completed
        Assert.Equal("Completed", Jobs.Get(session, id).Get<string>("Status"));
        Assert.Equal(4, session.Simulator.Tasks.Count);
    }

    [Fact]
    public async Task A_create_whose_answer_was_lost_is_sent_again_by_the_resume_with_its_own_key()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Simulator.Faults.Add(FaultRule.RespondAfterProcessing(502).For("POST", CreatePath).Times(2));
        var first = session.Run("New-ImagenImage 'a lighthouse' -OutputDirectory ./out -MaxRetries 1 -WarningAction SilentlyContinue -ErrorAction SilentlyContinue");
        var id = Jobs.IdOf(first);
        Assert.Equal(1, Jobs.Get(session, id).Get<int>("Pending")); // perhaps paid: its key settles it

        var resumed = session.Run($"Resume-ImagenJob -Id {id}");

        var file = Assert.Single(resumed.Objects<FileInfo>());
        Assert.True(resumed.Output.Single().Get<bool>("Resumed"));
        Assert.Single(session.Simulator.Tasks);
        Assert.Equal(1_000_000 - 8, session.Simulator.BalanceCents);
        Assert.Equal("Completed", Jobs.Get(session, id).Get<string>("Status"));
        _ = file;
    }

    [Fact]
    public async Task A_running_job_and_a_job_that_does_not_exist_are_refused()
    {
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.FromSeconds(3) });
        await using var other = ModuleSession.Open(session.Simulator, session.Folder, ownsFolder: false);
        using var running = other.Begin("'a' | New-ImagenImage -Wait -JobName resume-while-running", out var pending);
        string? id = null;
        for (var i = 0; i < 100 && id is null; i++)
        {
            await Task.Delay(50);
            id = session.Run("Get-ImagenJob -Name resume-while-running").Output.SingleOrDefault()?.Get<string>("Id");
        }

        var refused = session.Run($"Resume-ImagenJob -Id {id}, zzzzzzzz");

        Assert.Equal(["RunApiJobRunning", "RunApiJobNotFound"], refused.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
        running.EndInvoke(pending);
        Assert.Single(session.Simulator.Tasks);
    }
}
