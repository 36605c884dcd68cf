using System.Management.Automation;
using RunApi.PowerShell.Tests.Support;
using RunApi.Simulator;

namespace RunApi.PowerShell.Tests;

/// <summary>
/// Get-ImagenJob: jobs newest first, filtered by name, status and number; counts that always add up to the rows, in
/// every status; rows in input order; exit codes for schedulers; a status that stays true after a kill -9 and a torn
/// record. Each test keeps its jobs in a folder of its own (so in the ProcessEnvironment collection, which runs alone).
/// </summary>
[Collection(nameof(ProcessEnvironment))]
public class JobListTests
{
    private const string CreatePath = "/api/v1/imagen_4/text_to_image";

    private static void AssertAddsUp(PSObject job) =>
        Assert.Equal(job.Get<int>("Rows"), job.Get<int>("Saved") + job.Get<int>("Failed") + job.Get<int>("Pending") + job.Get<int>("NotSent"));

    [Fact]
    public Task Jobs_list_newest_first_and_filter_by_name_with_wildcards_status_and_number() => Jobs.InOwnFolder(async _ =>
    {
        await using var session = await ModuleSession.StartAsync();
        var made = new List<string>();
        foreach (var (name, prompts) in new[] { ("nightly-1", "'a','b'"), ("adhoc", "'c'"), ("nightly-2", "'d','e [fail]'") })
        {
            made.Add(Jobs.IdOf(session.Run($"{prompts} | New-ImagenImage -OutputDirectory ./out -JobName {name} -ErrorAction SilentlyContinue")));
            await Task.Delay(20); // distinct start times
        }

        Assert.Equal(made.AsEnumerable().Reverse(), session.Run("Get-ImagenJob").Output.Select(j => j.Get<string>("Id")));
        Assert.Equal([made[2], made[0]], session.Run("Get-ImagenJob -Name nightly*").Output.Select(j => j.Get<string>("Id")));
        Assert.Equal([made[2]], session.Run("Get-ImagenJob -Name nightly* -Last 1").Output.Select(j => j.Get<string>("Id")));
        Assert.Equal([made[2]], session.Run("Get-ImagenJob -Status CompletedWithErrors").Output.Select(j => j.Get<string>("Id")));
        Assert.Equal([made[1], made[0]], session.Run("Get-ImagenJob -Status Completed").Output.Select(j => j.Get<string>("Id")));
        Assert.Equal(made[1], session.Run($"Get-ImagenJob -Id {made[1].ToUpperInvariant()}").Output.Single().Get<string>("Id"));
        var missing = session.Run("Get-ImagenJob -Id zzzzzzzz, " + made[0]);
        Assert.Single(missing.Output);
        Assert.StartsWith("RunApiJobNotFound", Assert.Single(missing.Errors).FullyQualifiedErrorId);
    });

    [Fact]
    public Task Counts_add_up_and_rows_come_in_input_order_with_their_words() => Jobs.InOwnFolder(async _ =>
    {
        await using var session = await ModuleSession.StartAsync();
        var id = Jobs.IdOf(session.Run("'a red cube', 'a [fail] cube', 'a blue cube', 'a green cube', 'a cube too dear' | " +
                                       "New-ImagenImage -OutputDirectory ./out -MaxCostUsd 0.32 -ThrottleLimit 1 -ErrorAction SilentlyContinue"));

        var job = Jobs.Get(session, id);
        AssertAddsUp(job);
        Assert.Equal((5, 3, 1, 0, 1), (job.Get<int>("Rows"), job.Get<int>("Saved"), job.Get<int>("Failed"), job.Get<int>("Pending"), job.Get<int>("NotSent")));
        Assert.Equal("CutOff", job.Get<string>("Status"));
        Assert.Equal(3, job.Get<int>("ExitCode")); // the budget (3) before the failed generation (7)
        Assert.Equal(0.32m, job.Get<decimal>("EstimatedCostUsd"));
        Assert.Equal(0.24m, job.Get<decimal>("ChargedUsd")); // the failed generation was refunded
        Assert.Null(job.Raw("ImagesExpireAt")); // every image is saved

        var rows = session.Run($"Get-ImagenJob -Id {id} -Row").Output;
        Assert.Equal([0, 1, 2, 3, 4], rows.Select(r => r.Get<int>("Row")));
        Assert.Equal(["Saved", "Failed", "Saved", "Saved", "NotSent"], rows.Select(r => r.Get<string>("Status")));
        Assert.Equal("RunApiTaskFailed", rows[1].Get<string>("ErrorId"));
        Assert.True(rows[1].Get<bool>("Retryable"));
        Assert.Equal("RunApiBudgetExceeded", rows[4].Get<string>("ErrorId"));
        Assert.Equal("a cube too dear", rows[4].Get<string>("Prompt"));
        Assert.True(File.Exists(rows[0].Raw("Files")!.ToString()));

        session.Run($"Get-ImagenJob -Id {id} -Row | Export-Csv ./report.csv -NoTypeInformation");
        var report = File.ReadAllLines(Path.Combine(session.Folder, "report.csv"));
        Assert.Equal(6, report.Length);
        Assert.Contains("\"Status\"", report[0]);
        Assert.Contains(rows[0].Raw("Files")!.ToString()!, report[1]); // the files as one cell, not System.String[]
    });

    [Fact]
    public Task A_refused_key_leaves_its_rows_NotSent_and_the_job_exits_with_2() => Jobs.InOwnFolder(async _ =>
    {
        await using var session = await ModuleSession.StartAsync();

        var result = session.Run("'a','b','c' | New-ImagenImage -ApiKey wrong-key -ErrorAction SilentlyContinue");

        var job = Jobs.Get(session, Jobs.IdOf(result));
        AssertAddsUp(job);
        Assert.Equal(3, job.Get<int>("NotSent"));
        Assert.Equal("Interrupted", job.Get<string>("Status"));
        Assert.Equal(2, job.Get<int>("ExitCode"));
    });

    /// <summary>A single prompt sends no balance look first: its row was journalled as a create that may exist (Pending).</summary>
    [Theory]
    [InlineData("'a','b' | New-ImagenImage")]
    [InlineData("New-ImagenImage 'a'")]
    public Task A_command_that_finds_no_key_is_a_job_that_exits_with_2_not_the_last_nights_0(string command) => Jobs.InOwnFolder(async _ =>
    {
        await using var session = await ModuleSession.StartAsync(configureDefaults: false);
        var saved = (Environment.GetEnvironmentVariable("RUNAPI_API_KEY"), Environment.GetEnvironmentVariable("RUNAPI_KEY"));
        Environment.SetEnvironmentVariable("RUNAPI_API_KEY", null);
        Environment.SetEnvironmentVariable("RUNAPI_KEY", null);
        try
        {
            session.Run($"{command} -BaseUri '{session.Simulator.BaseUri}' -JobName nokey -ErrorAction SilentlyContinue");

            var job = Assert.Single(session.Run("Get-ImagenJob -Last 1").Output);
            Assert.Equal("nokey", job.Get<string>("Name"));
            Assert.Equal(2, job.Get<int>("ExitCode"));
            AssertAddsUp(job);
            Assert.Equal(0, job.Get<int>("Pending")); // nothing was sent
            Assert.Empty(session.Simulator.Requests);
        }
        finally
        {
            Environment.SetEnvironmentVariable("RUNAPI_API_KEY", saved.Item1);
            Environment.SetEnvironmentVariable("RUNAPI_KEY", saved.Item2);
        }
    });

    [Fact]
    public Task A_running_job_is_Running_until_it_ends_and_exits_with_1_meanwhile() => Jobs.InOwnFolder(async _ =>
    {
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.FromSeconds(3) });
        await using var other = ModuleSession.Open(session.Simulator, session.Folder, ownsFolder: false);
        using var running = other.Begin("'a','b' | New-ImagenImage -OutputDirectory ./out -JobName long", out var pending);
        PSObject? seen = null;
        for (var i = 0; i < 100 && seen is null; i++)
        {
            await Task.Delay(50);
            seen = session.Run("Get-ImagenJob -Name long").Output.SingleOrDefault();
        }

        Assert.NotNull(seen);
        Assert.Equal("Running", seen!.Get<string>("Status"));
        Assert.Equal(1, seen.Get<int>("ExitCode"));
        Assert.Null(seen.Raw("EndedAt"));
        AssertAddsUp(seen);
        running.EndInvoke(pending);
        var done = Assert.Single(session.Run("Get-ImagenJob -Name long").Output);
        Assert.Equal("Completed", done.Get<string>("Status"));
        Assert.Equal(0, done.Get<int>("ExitCode"));
        Assert.NotNull(done.Raw("EndedAt"));
    });

    [Fact]
    public Task A_job_killed_mid_batch_is_Interrupted_with_counts_from_its_journal_not_an_old_summary() => Jobs.InOwnFolder(async _ =>
    {
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.FromMilliseconds(400) });
        session.Simulator.Faults.Add(FaultRule.Delay(TimeSpan.FromMilliseconds(100)).For("POST", CreatePath));
        var created = 0;
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        session.Simulator.RequestCompleted += r =>
        {
            if (r.Method == "POST" && r.StatusCode == 200 && Interlocked.Increment(ref created) == 6) reached.TrySetResult();
        };
        var sim = session.Simulator;
        var child = await RealPwsh.StartAsync(
            $"$env:RUNAPI_BASE_URL = '{sim.BaseUri}'; $env:RUNAPI_API_KEY = '{sim.ApiKey}'; Import-Module '{ModuleSession.ModuleManifest}'; " +
            $"Set-Location '{session.Folder}'; 1..40 | ForEach-Object {{ \"prompt $_\" }} | New-ImagenImage -OutputDirectory ./out -JobName killed -ThrottleLimit 2");
        await reached.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await RealPwsh.KillAsync(child);
        var folder = Directory.GetDirectories(Jobs.Root).Single();
        var journal = Path.Combine(folder, "journal.jsonl");
        File.AppendAllText(journal, "{\"event\":\"saved\",\"row\":3,\"ta"); // and a line torn by the kill

        var job = Assert.Single(session.Run("Get-ImagenJob -Name killed").Output);

        Assert.Equal("Interrupted", job.Get<string>("Status"));
        Assert.False(job.Get<bool>("InputEnded"));
        Assert.Equal(1, job.Get<int>("ExitCode"));
        AssertAddsUp(job);
        var rows = session.Run("Get-ImagenJob -Name killed -Row").Output;
        Assert.Equal(job.Get<int>("Rows"), rows.Count);
        foreach (var word in new[] { "Saved", "Failed", "Pending", "NotSent" })
        {
            Assert.Equal(job.Get<int>(word), rows.Count(r => r.Get<string>("Status") == word));
        }
        Assert.True(job.Get<int>("Saved") + job.Get<int>("Pending") >= 6, "every task RunAPI made is Saved or Pending");
        // The summary was folded again from the journal, and names the journal as it is now.
        Assert.Equal(new FileInfo(journal).Length, Jobs.Summary(Path.GetFileName(folder)).GetProperty("journalBytes").GetInt64());
    });

    [Fact]
    public Task A_journal_damaged_in_the_middle_is_a_warning_and_its_job_is_still_listed() => Jobs.InOwnFolder(async _ =>
    {
        await using var session = await ModuleSession.StartAsync();
        var id = Jobs.IdOf(session.Run("'a','b' | New-ImagenImage -OutputDirectory ./out"));
        var journal = Path.Combine(Jobs.Folder(id), "journal.jsonl");
        var lines = File.ReadAllLines(journal);
        lines[2] = lines[2][..10];
        File.WriteAllLines(journal, lines);

        var listed = session.Run("Get-ImagenJob");

        var job = Assert.Single(listed.Output);
        Assert.Contains(listed.Warnings, w => w.Contains(id) && w.Contains("cannot be read"));
        Assert.Contains("cannot be read", job.Get<string>("Problem"));
        var rows = session.Run($"Get-ImagenJob -Id {id} -Row");
        Assert.StartsWith("RunApiJournalDamaged", Assert.Single(rows.Errors).FullyQualifiedErrorId);
    });

    [Fact]
    public Task A_job_record_changed_by_hand_is_a_warning_not_a_silence() => Jobs.InOwnFolder(async _ =>
    {
        await using var session = await ModuleSession.StartAsync();
        var id = Jobs.IdOf(session.Run("'a' | New-ImagenImage"));
        File.WriteAllText(Path.Combine(Jobs.Folder(id), "job.json"), "{\"id\":");

        var listed = session.Run("Get-ImagenJob");

        Assert.Empty(listed.Output);
        Assert.Contains(listed.Warnings, w => w.Contains(id) && w.Contains("cannot be read"));
    });
}
