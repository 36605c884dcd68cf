using System.Management.Automation;
using RunApi.PowerShell.Tests.Support;
using RunApi.Simulator;

namespace RunApi.PowerShell.Tests;

/// <summary>
/// The batch engine as a user meets it: the command owns its work, so nothing is created or downloaded after it
/// returns, however it ends; every task it paid for and did not hand over is named; paid work in errors is findable.
/// </summary>
public class BatchEngineTests
{
    private const string CreatePath = "/api/v1/imagen_4/text_to_image";

    /// <summary>
    /// Absence can only be seen over time: the tasks of these tests complete within a second and the module's first
    /// look is at 1 s, so work that outlived its command would have polled or downloaded within this. Paid for once,
    /// in the hardest case (Ctrl+C while requests wait for the rate limit); that no work outlives the batch whatever
    /// ends it is proven one level down (BatchStageTests: nothing is running, nor sent, after the batch is disposed),
    /// and PowerShell disposes a command however its pipeline ends.
    /// </summary>
    private static readonly TimeSpan AfterReturn = TimeSpan.FromSeconds(2);

    private static SimulatorOptions Generating(TimeSpan time) => new() { GenerationTime = time };

    private static async Task AssertNothingSentAfter(ModuleSession session, DateTimeOffset returned)
    {
        await Task.Delay(AfterReturn);
        var late = session.Simulator.Requests.Where(r => r.ReceivedAt > returned && (r.Method == "POST" || r.OnFilesOrigin)).ToList();
        Assert.True(late.Count == 0, $"{late.Count} creates or downloads after the command returned: " + string.Join(", ", late.Select(r => r.Method + " " + r.Path)));
    }

    /// <summary>
    /// Warnings the command wrote: through the warning stream (which the host shows too) or, while the pipeline
    /// is stopping, to the host alone.
    /// </summary>
    private static IReadOnlyList<string> AllWarnings(ScriptResult? result, ModuleSession session) =>
        (result?.Warnings ?? Array.Empty<string>()).Concat(session.Host.Warnings).Distinct().ToList();

    private static void AssertEveryUnsavedTaskIsNamed(ModuleSession session, IReadOnlyList<string> warnings, IEnumerable<string> handedOver)
    {
        var unsaved = session.Simulator.Tasks.Select(t => t.Id).Except(handedOver).ToList();
        Assert.NotEmpty(unsaved);
        foreach (var id in unsaved)
        {
            Assert.Contains(warnings, w => w.StartsWith($"Task {id} (text_to_image) for prompt '") && w.Contains("created and charged"));
        }
        var pickUp = Assert.Single(warnings, w => w.Contains("Wait-ImagenTask -TaskId") && w.StartsWith("To pick up"));
        Assert.All(unsaved, id => Assert.Contains(id, pickUp));
    }

    [Fact]
    public async Task Select_First_stops_the_batch_and_names_the_tasks_it_did_not_hand_over()
    {
        await using var session = await ModuleSession.StartAsync(Generating(TimeSpan.FromMilliseconds(300)));

        var result = session.Run("1..6 | ForEach-Object { \"prompt $_\" } | New-ImagenImage -OutputDirectory ./out -ThrottleLimit 2 | Select-Object -First 1");

        Assert.Empty(result.Errors);
        var file = Assert.Single(result.Objects<FileInfo>());
        var emitted = string.Join("_", file.Name.Split('_').Take(2));
        AssertEveryUnsavedTaskIsNamed(session, AllWarnings(result, session), new[] { emitted });
    }

    [Fact]
    public async Task ErrorAction_Stop_stops_the_batch_and_names_the_tasks_already_paid_for()
    {
        await using var session = await ModuleSession.StartAsync(Generating(TimeSpan.FromMilliseconds(500)));

        var result = session.Run("try { @((1..4 | ForEach-Object { \"prompt $_\" }) + '') | New-ImagenImage -OutputDirectory ./out -ThrottleLimit 1 -ErrorAction Stop } catch { 'stopped: ' + $_.FullyQualifiedErrorId }");

        Assert.StartsWith("stopped: RunApiInvalidPrompt", Assert.Single(result.Output).ToString());
        // The fourth create is either on the wire when the error comes (and then answered and named) or not yet sent
        // (and then never sent).
        Assert.InRange(session.Simulator.Tasks.Count, 3, 4);
        AssertEveryUnsavedTaskIsNamed(session, AllWarnings(result, session), Array.Empty<string>());
        Assert.False(Directory.Exists(Path.Combine(session.Folder, "out")) && Directory.GetFiles(Path.Combine(session.Folder, "out")).Length > 0);
    }

    [Fact]
    public async Task Ctrl_C_stops_the_batch_and_tells_the_host_which_paid_tasks_to_pick_up()
    {
        // Tasks that generate for an hour and one create in flight at a time: all five are created only if a task that
        // is generating holds no create place.
        await using var session = await ModuleSession.StartAsync(Generating(TimeSpan.FromHours(1)));
        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        session.Simulator.RequestCompleted += r =>
        {
            if (r.Method == "POST" && session.Simulator.Tasks.Count == 5) created.TrySetResult();
        };

        using var shell = session.Begin("1..5 | ForEach-Object { \"prompt $_\" } | New-ImagenImage -OutputDirectory ./out -ThrottleLimit 1", out _);
        await created.Task.WaitAsync(TimeSpan.FromSeconds(20));
        shell.Stop();

        Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
        AssertEveryUnsavedTaskIsNamed(session, session.Host.Warnings, Array.Empty<string>());
    }

    [Fact]
    public async Task Ctrl_C_while_the_request_budget_is_pacing_against_a_rate_limit_stops_at_once()
    {
        // One request a second: after the first burst every create and look waits its turn in the shared budget.
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.FromSeconds(1), RateLimitPerSecond = 1 });
        var refused = session.Simulator.WaitForRequestAsync(r => r.StatusCode == 429);

        using var shell = session.Begin("1..20 | ForEach-Object { \"prompt $_\" } | New-ImagenImage -OutputDirectory ./out", out _);
        await refused.WaitAsync(TimeSpan.FromSeconds(20));
        shell.Stop();
        var returned = DateTimeOffset.UtcNow;

        Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
        await AssertNothingSentAfter(session, returned);
    }

    [Fact]
    public async Task A_402_mid_batch_sends_nothing_more_and_names_every_prompt_not_sent()
    {
        await using var session = await ModuleSession.StartAsync(Generating(TimeSpan.Zero));
        session.Simulator.BalanceCents = 16; // two imagen-4 images

        var result = session.Run("1..5 | ForEach-Object { \"prompt $_\" } | New-ImagenImage -OutputDirectory ./out -ThrottleLimit 1");

        Assert.Equal(2, result.Objects<FileInfo>().Count());
        Assert.Equal(3, session.Simulator.Requests.Count(r => r.Method == "POST"));
        Assert.Equal(new[] { "prompt 3", "prompt 4", "prompt 5" }, result.Errors.Select(e => e.TargetObject).OrderBy(t => t));
        Assert.All(result.Errors, e => Assert.Equal(ErrorCategory.QuotaExceeded, e.CategoryInfo.Category));
    }

    [Fact]
    public async Task Waiting_for_300_tasks_never_has_more_than_16_looks_in_flight()
    {
        await using var session = await ModuleSession.StartAsync(Generating(TimeSpan.Zero));
        session.Run("$tasks = 1..300 | ForEach-Object { \"prompt $_\" } | New-ImagenImage -Model imagen-4-fast -ThrottleLimit 32");
        session.Simulator.Faults.Add(FaultRule.Delay(TimeSpan.FromMilliseconds(50)).For("GET", CreatePath + "/"));

        var result = session.Run("$tasks | Wait-ImagenTask -ThrottleLimit 64 | Measure-Object | ForEach-Object Count");

        Assert.Empty(result.Errors);
        Assert.Equal(300, result.Output.Single().BaseObject);
        var looks = session.Simulator.Requests.Where(r => r.Method == "GET" && !r.OnFilesOrigin).ToList();
        var most = MostAtOnce(looks);
        Assert.InRange(most, 2, 16);
    }

    private static int MostAtOnce(IEnumerable<RecordedRequest> requests)
    {
        var edges = requests.SelectMany(r => new[] { (At: r.ReceivedAt, Change: +1), (At: r.CompletedAt, Change: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.Change);
        int current = 0, most = 0;
        foreach (var (_, change) in edges) most = Math.Max(most, current += change);
        return most;
    }

    [Fact]
    public async Task A_failed_download_targets_the_task_and_names_its_id_and_image()
    {
        await using var session = await ModuleSession.StartAsync(Generating(TimeSpan.Zero));
        session.Simulator.Faults.Add(FaultRule.TruncateBody().For("GET", "/generated/"));

        var result = session.Run("New-ImagenImage 'a lighthouse' -OutputDirectory ./out -MaxRetries 0");

        var error = Assert.Single(result.Errors);
        var task = PSObject.AsPSObject(error.TargetObject);
        Assert.Contains("RunApi.ImagenTask", task.TypeNames);
        var id = session.Simulator.Tasks.Single().Id;
        Assert.Equal(id, task.Get<string>("TaskId"));
        Assert.Equal("a lighthouse", task.Get<string>("Prompt"));
        Assert.Equal("text_to_image", task.Get<string>("Endpoint"));
        Assert.Contains($"(task {id}) image 0", error.ErrorDetails.Message);
        Assert.Contains("/generated/", error.ErrorDetails.Message);
    }

    [Fact]
    public async Task A_create_that_lost_every_answer_gives_its_key_and_the_key_gets_the_task_without_a_second_charge()
    {
        await using var session = await ModuleSession.StartAsync(Generating(TimeSpan.Zero));
        session.Simulator.Faults.Add(FaultRule.RespondAfterProcessing(502).For("POST", CreatePath).Times(2));
        var balance = session.Simulator.BalanceCents;

        var failed = session.Run("New-ImagenImage 'a lighthouse' -MaxRetries 1 -WarningAction SilentlyContinue");
        var error = Assert.Single(failed.Errors);
        Assert.Equal("RunApiCreateOutcomeUnknown", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("a lighthouse", error.TargetObject);
        var key = session.Simulator.Requests.First(r => r.Method == "POST").IdempotencyKey!;
        Assert.Contains($"-IdempotencyKey {key}", error.Shown());
        Assert.Contains("may exist", error.Shown());

        var again = session.Run($"New-ImagenImage 'a lighthouse' -IdempotencyKey {key}");

        var task = Assert.Single(again.Tasks());
        Assert.True(task.Get<bool>("Replayed"));
        Assert.Equal(session.Simulator.Tasks.Single().Id, task.Get<string>("TaskId"));
        Assert.Equal(balance - 8, session.Simulator.BalanceCents);
    }

    [Fact]
    public async Task Progress_is_refreshed_a_few_times_a_second_at_most_and_ends_with_the_true_counts()
    {
        await using var session = await ModuleSession.StartAsync(Generating(TimeSpan.FromMilliseconds(1500)));
        var started = DateTimeOffset.UtcNow;

        var result = session.Run("1..20 | ForEach-Object { \"prompt $_\" } | New-ImagenImage -OutputDirectory ./out");
        var elapsed = DateTimeOffset.UtcNow - started;

        Assert.Equal(20, result.Objects<FileInfo>().Count());
        var progress = session.Host.Progress;
        Assert.Single(progress.Select(p => p.ActivityId).Distinct());
        var shown = progress.Where(p => p.RecordType == ProgressRecordType.Processing).ToList();
        Assert.InRange(shown.Count, 2, (int)(elapsed.TotalSeconds * 4) + 2);
        Assert.Contains(shown, p => p.StatusDescription.Contains("20 created, 20 generating"));
        var last = progress[^1];
        Assert.Equal(ProgressRecordType.Completed, last.RecordType);
        Assert.Equal("20 prompts: 20 created, 0 generating, 20 saved, 0 failed", last.StatusDescription);
    }
}
