using System.Text.RegularExpressions;
using System.Management.Automation;
using RunApi.PowerShell.Tests.Support;
using RunApi.Simulator;

namespace RunApi.PowerShell.Tests;

/// <summary>
/// -JournalPath: a batch killed at any point and run again finishes with one task and one file per prompt, paying
/// once; a finished one run again sends nothing; Get-ImagenTask reads a journal back. (Refusals: JournalRefusalTests.)
/// </summary>
public class JournalResumeTests
{
    private const string CreatePath = "/api/v1/imagen_4/text_to_image";
    private const int Prompts = 12;

    private static string Batch(string journal = "./batch.jsonl", int count = Prompts, string extra = "") =>
        $"1..{count} | ForEach-Object {{ \"prompt $_\" }} | New-ImagenImage -OutputDirectory ./out -JournalPath {journal} -ThrottleLimit 2 {extra}";

    private static int Posts(ModuleSession session) => session.Simulator.Requests.Count(r => r.Method == "POST");

    [Theory]
    [InlineData("creates", 5)]
    [InlineData("downloads", 4)]
    public async Task A_batch_killed_and_run_again_ends_with_one_task_and_one_file_per_prompt(string after, int count)
    {
        // Creates take 100 ms, so the kill finds some answered, some in flight and some not sent.
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.FromMilliseconds(500) });
        session.Simulator.Faults.Add(FaultRule.Delay(TimeSpan.FromMilliseconds(100)).For("POST", CreatePath));
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = 0;
        session.Simulator.RequestCompleted += r =>
        {
            var counts = after == "creates" ? r.Method == "POST" && r.StatusCode == 200 : r.OnFilesOrigin;
            if (counts && Interlocked.Increment(ref seen) == count) reached.TrySetResult();
        };
        var sim = session.Simulator;
        var child = await RealPwsh.StartAsync(
            $"$env:RUNAPI_BASE_URL = '{sim.BaseUri}'; $env:RUNAPI_API_KEY = '{sim.ApiKey}'; Import-Module '{ModuleSession.ModuleManifest}'; " +
            $"Set-Location '{session.Folder}'; " + Batch());
        await reached.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await RealPwsh.KillAsync(child);
        var paidBefore = sim.Tasks.Count;

        var result = session.Run(Batch());

        Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors.Select(e => e.ToString())));
        var files = result.Objects<FileInfo>().ToList();
        Assert.Equal(Prompts, files.Count);
        var onDisk = Directory.GetFiles(Path.Combine(session.Folder, "out")).Select(Path.GetFileName).ToList();
        Assert.True(onDisk.Count == Prompts, $"{onDisk.Count} files for {Prompts} prompts: {string.Join(", ", onDisk)}");
        Assert.Equal(Prompts, sim.Tasks.Count);
        Assert.Equal(Prompts, sim.Tasks.Select(t => t.Prompt).Distinct().Count());
        Assert.Equal(1_000_000 - Prompts * 8, sim.BalanceCents);
        Assert.True(result.Output.Count(o => o.Get<bool>("Resumed")) >= paidBefore, $"{paidBefore} tasks were paid for before the kill");
    }

    [Fact]
    public async Task A_finished_batch_run_again_sends_nothing_and_writes_its_files_again_as_resumed()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Run(Batch(count: 3));
        var requests = session.Simulator.Requests.Count;
        File.AppendAllText(Path.Combine(session.Folder, "batch.jsonl"), "{\"event\":\"saved\",\"row\":1,\"ta"); // torn by a crash

        var result = session.Run(Batch(count: 3));

        Assert.Empty(result.Errors);
        Assert.Equal(3, result.Objects<FileInfo>().Count());
        Assert.All(result.Output, o => Assert.True(o.Get<bool>("Resumed")));
        Assert.Equal(requests, session.Simulator.Requests.Count);
    }

    [Fact]
    public async Task Images_saved_but_not_journalled_before_a_crash_are_taken_as_saved()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Run(Batch(count: 3));
        var journal = Path.Combine(session.Folder, "batch.jsonl");
        File.WriteAllLines(journal, File.ReadAllLines(journal).Where(l => !l.Contains("\"event\":\"saved\""))); // lost in a power cut
        var posts = Posts(session);

        var result = session.Run(Batch(count: 3));

        Assert.Empty(result.Errors);
        Assert.Equal(3, result.Objects<FileInfo>().Count());
        Assert.All(result.Output, o => Assert.True(o.Get<bool>("Resumed")));
        Assert.Equal(3, Directory.GetFiles(Path.Combine(session.Folder, "out")).Length);
        Assert.Equal(posts, Posts(session));
    }

    [Fact]
    public async Task WhatIf_with_a_journal_writes_nothing_and_prices_only_the_rows_still_to_create()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Run(Batch(count: 2));
        var journal = Path.Combine(session.Folder, "batch.jsonl");
        var before = File.ReadAllText(journal);
        var requests = session.Simulator.Requests.Count;

        session.Run(Batch(count: 3, extra: "-WhatIf"));

        Assert.Equal(before, File.ReadAllText(journal));
        Assert.Equal(requests, session.Simulator.Requests.Count);
        Assert.Equal(2, session.Host.Lines.Count(l => l.Contains("already paid: no new charge")));
        Assert.Contains(session.Host.Lines, l => l.Contains("Create 1 task (1 image) for an estimated $0.08 in all (imagen-4), and resume 2 task(s) already paid for"));
    }

    [Fact]
    public async Task A_create_whose_answer_was_lost_is_sent_again_with_its_key_and_paid_once()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Simulator.Faults.Add(FaultRule.RespondAfterProcessing(502).For("POST", CreatePath).Times(2));

        var first = session.Run("New-ImagenImage 'a lighthouse' -JournalPath ./one.jsonl -MaxRetries 1 -WarningAction SilentlyContinue");
        Assert.Equal("RunApiCreateOutcomeUnknown", Assert.Single(first.Errors).FullyQualifiedErrorId.Split(',')[0]);

        var again = session.Run("New-ImagenImage 'a lighthouse' -JournalPath ./one.jsonl");

        var task = Assert.Single(again.Tasks());
        Assert.True(task.Get<bool>("Replayed"));
        Assert.True(task.Get<bool>("Resumed"));
        Assert.Single(session.Simulator.Tasks);
        Assert.Equal(1_000_000 - 8, session.Simulator.BalanceCents);
    }

    [Theory]
    [InlineData("a task id that cannot be looked up safely", "\"id\":\"../$1\"")]
    [InlineData("no task id", "\"taskId\":\"$1\"")]
    public async Task A_create_accepted_with_an_answer_that_cannot_be_used_is_never_paid_again(string how, string replacement)
    {
        _ = how;
        await using var session = await ModuleSession.StartAsync();
        var unusable = FaultRule.Rewrite(body => Regex.Replace(body, "\"id\":\"([^\"]+)\"", replacement)).For("POST", CreatePath);
        session.Simulator.Faults.Add(unusable);

        var first = session.Run(Batch(count: 3));
        Assert.Equal(3, first.Errors.Count);
        Assert.All(first.Errors, e => Assert.Contains("charged", e.Exception.Message));
        var keys = KeysSent(session);

        // Run again while the answers are still unusable: the same keys, so RunAPI hands back the same tasks.
        var again = session.Run(Batch(count: 3));
        Assert.Equal(3, again.Errors.Count);
        Assert.Equal(keys, KeysSent(session).Distinct().Order());

        // Once RunAPI answers well, the same journal gets the three tasks it paid for, and no fourth.
        session.Simulator.Faults.Clear();
        var fixedRun = session.Run(Batch(count: 3));
        Assert.Empty(fixedRun.Errors);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(session.Folder, "out")).Length);
        Assert.Equal(keys, KeysSent(session).Distinct().Order());
        Assert.Equal(3, session.Simulator.Tasks.Count);
        Assert.Equal(1_000_000 - 3 * 8, session.Simulator.BalanceCents);
    }

    private static IEnumerable<string> KeysSent(ModuleSession session) =>
        session.Simulator.Requests.Where(r => r.Method == "POST").Select(r => r.Headers["Idempotency-Key"]).Distinct().Order().ToList();

    [Fact]
    public async Task Get_ImagenTask_reads_a_journal_back_with_rows_and_files_and_Offline_asks_nothing()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Run(Batch(count: 3));
        var requests = session.Simulator.Requests.Count;

        var offline = session.Run("Get-ImagenTask -JournalPath ./batch.jsonl -Offline");

        Assert.Equal(requests, session.Simulator.Requests.Count);
        Assert.Equal(new[] { 0, 1, 2 }, offline.Tasks().Select(t => t.Get<int>("Row")).OrderBy(r => r));
        Assert.All(offline.Tasks(), t =>
        {
            Assert.Equal("completed", t.Get<string>("Status"));
            Assert.StartsWith("prompt ", t.Get<string>("Prompt"));
            Assert.True(File.Exists(((object[])t.Raw("Files")!).Cast<string>().Single()));
        });

        var online = session.Run("Get-ImagenTask -JournalPath ./batch.jsonl | Wait-ImagenTask | Measure-Object | ForEach-Object Count");
        Assert.Equal(3, online.Output.Single().BaseObject);
        Assert.Equal(requests + 6, session.Simulator.Requests.Count); // one look each to refresh, one to wait
    }
}
