using System.Management.Automation;
using RunApi.PowerShell.Tests.Support;
using RunApi.Simulator;

namespace RunApi.PowerShell.Tests;

/// <summary>
/// The module under scripted faults, as a user runs it. Each test states its figure: how many tasks, files, errors and
/// warnings a faulty service must still end in.
/// </summary>
public class FaultSuiteTests
{
    private const string CreatePath = "/api/v1/imagen_4/text_to_image";

    [Fact]
    public async Task One_hundred_prompts_with_20_creates_answered_502_after_acceptance_make_100_tasks_and_100_files()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Simulator.Faults.Add(FaultRule.RespondAfterProcessing(502, """{"error":{"message":"temporarily unavailable"}}""").For("POST", CreatePath).Times(20));

        var result = session.Run("1..100 | ForEach-Object { \"scene $_\" } | New-ImagenImage -Model imagen-4-fast -OutputDirectory ./run -ThrottleLimit 16");

        Assert.Empty(result.Errors);
        Assert.Equal(100, session.Simulator.Tasks.Count);
        Assert.Equal(100, result.Objects<FileInfo>().Count());
        Assert.Equal(100, Directory.GetFiles(Path.Combine(session.Folder, "run")).Length);
        Assert.Equal(120, session.Simulator.Requests.Count(r => r.Method == "POST" && r.Path == CreatePath));
        Assert.Equal(20, result.Warnings.Count(w => w.Contains("HTTP 502")));
        Assert.Equal(1_000_000 - 100 * 4, session.Simulator.BalanceCents);
    }

    [Fact]
    public async Task A_burst_of_429s_completes_everything_and_the_waits_follow_Retry_After()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Simulator.Faults.Add(FaultRule.Respond(429, """{"error":{"code":"rate_limited","message":"slow down"}}""", ("Retry-After", "1")).For("POST", CreatePath).Times(5));

        var result = session.Run("'a','b','c','d','e' | New-ImagenImage -Wait -ThrottleLimit 5");

        Assert.Empty(result.Errors);
        Assert.Equal(5, result.Tasks().Count);
        // One warning for the command, not one per refused request; the rest are in -Verbose.
        Assert.Single(result.Warnings, w => w.Contains("HTTP 429") && w.Contains("in 1.0 s"));
        var creates = session.Simulator.Requests.Where(r => r.Method == "POST").ToList();
        var refusedAt = creates.Where(r => r.StatusCode == 429).Max(r => r.CompletedAt);
        Assert.All(creates.Where(r => r.StatusCode == 200), r => Assert.True(r.ReceivedAt - refusedAt >= TimeSpan.FromSeconds(0.9) || r.ReceivedAt < refusedAt));
        Assert.Equal(5, creates.Count(r => r.StatusCode == 200));
    }

    [Fact]
    public async Task A_rate_limit_that_never_lifts_ends_each_prompt_as_refused_and_uncharged_within_TimeoutSec()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Simulator.Faults.Add(FaultRule.Respond(429, """{"error":{"code":"rate_limited","message":"slow down"}}""", ("Retry-After", "1")).For("POST", CreatePath));

        var result = session.Run("'a','b' | New-ImagenImage -Wait -TimeoutSec 2 -JournalPath ./j.jsonl");

        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e =>
        {
            Assert.Equal("RunApiRateLimited", e.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Contains("Nothing was charged", e.Exception.Message);
        });
        Assert.Single(result.Warnings, w => w.Contains("HTTP 429"));
        var creates = session.Simulator.Requests.Where(r => r.Method == "POST").ToList();
        Assert.InRange(creates.Max(r => r.ReceivedAt) - creates.Min(r => r.ReceivedAt), TimeSpan.Zero, TimeSpan.FromSeconds(4));
        Assert.Empty(session.Simulator.Tasks);
        Assert.DoesNotContain("outcomeUnknown", File.ReadAllText(Path.Combine(session.Folder, "j.jsonl")));
    }

    [Fact]
    public async Task Downloads_cut_in_the_middle_are_retried_and_leave_no_partial_file()
    {
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.Zero, ImageBytes = 200_000 });
        session.Simulator.Faults.Add(FaultRule.TruncateBody(0.4).For("GET", "/generated/").Times(3));

        var result = session.Run("'a','b','c' | New-ImagenImage -OutputDirectory .");

        Assert.Empty(result.Errors);
        var files = Directory.GetFiles(session.Folder);
        Assert.Equal(3, files.Length);
        Assert.All(files, f => Assert.EndsWith(".png", f));
        Assert.All(session.Simulator.Tasks, t => Assert.Equal(session.Simulator.GetImageBytes(t.Id, 0), ServedImages.WithoutText(File.ReadAllBytes(Path.Combine(session.Folder, t.Id + "_0.png")))));
        Assert.Equal(3, result.Warnings.Count);
    }

    [Fact]
    public async Task Credits_running_out_mid_batch_name_every_prompt_that_was_not_made()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Simulator.BalanceCents = 3 * 8;

        var result = session.Run("1..10 | ForEach-Object { \"picture $_\" } | New-ImagenImage -ThrottleLimit 1");

        Assert.Equal(3, result.Tasks().Count);
        Assert.Equal(7, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.Equal(ErrorCategory.QuotaExceeded, e.CategoryInfo.Category));
        var named = result.Tasks().Select(t => t.Get<string>("Prompt")).Concat(result.Errors.Select(e => (string)e.TargetObject));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"picture {i}").OrderBy(p => p), named.OrderBy(p => p));
        Assert.Single(session.Simulator.Requests, r => r.StatusCode == 402);
        Assert.Equal(6, result.Errors.Count(e => e.ErrorDetails.Message.Contains("Not submitted")));
    }

    [Fact]
    public async Task A_refused_key_fails_every_prompt_by_name_and_stops_sending()
    {
        await using var session = await ModuleSession.StartAsync();
        var result = session.Run("'one','two','three','four' | New-ImagenImage -ApiKey 'sk-revoked-00000000000000' -ThrottleLimit 1");

        Assert.Empty(result.Tasks());
        Assert.Equal(new[] { "four", "one", "three", "two" }, result.Errors.Select(e => (string)e.TargetObject).OrderBy(p => p));
        Assert.All(result.Errors, e => Assert.Equal(ErrorCategory.AuthenticationError, e.CategoryInfo.Category));
        Assert.Single(session.Simulator.Requests);
        Assert.DoesNotContain("sk-revoked-00000000000000", result.AllText());
    }

    [Theory]
    [InlineData("<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>", 502, "Server error")]
    [InlineData("{\"error\": {\"message\": ", 500, "Server error")]
    [InlineData("<html>Service Temporarily Unavailable</html>", 503, "Service unavailable")]
    public async Task Html_pages_and_malformed_json_give_clear_errors_with_the_request_id(string body, int status, string message)
    {
        await using var session = await ModuleSession.StartAsync();
        var id = session.Run("New-ImagenImage 'a cube'").Tasks().Single().Get<string>("TaskId");
        session.Simulator.Faults.Add(FaultRule.Respond(status, body).For("GET", CreatePath + "/"));

        var result = session.Run($"Get-ImagenTask -TaskId {id} -MaxRetries 0");

        var error = Assert.Single(result.Errors);
        var requestId = session.Simulator.Requests.Last().RequestId!;
        Assert.Contains(message, error.Exception.Message);
        Assert.Contains(requestId, error.Exception.Message);
        Assert.Contains($"HTTP {status}", error.Exception.Message);
        Assert.DoesNotContain("<html", error.Exception.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Failing_and_succeeding_pipelines_under_Verbose_and_Debug_never_show_the_key_anywhere()
    {
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.Zero, ApiKey = "sk-live-SECRET-4242424242424242" });
        session.Simulator.Faults.Add(FaultRule.Respond(503, "{\"error\":\"sk-live-SECRET-4242424242424242 leaked by a proxy\"}").For("POST", CreatePath).Times(2));
        session.Simulator.Faults.Add(FaultRule.Respond(500, "<html>oops</html>").For("GET", CreatePath + "/").Times(1));

        // $DebugPreference rather than -Debug: with -Debug, PowerShell asks before every warning, and this host cannot answer.
        var result = session.Run(
            "$DebugPreference = 'Continue'; " +
            "'a','b [fail]','c' | New-ImagenImage -OutputDirectory ./out -Verbose; " +
            "Get-ImagenTask -TaskId task_unknown -Verbose; " +
            "New-ImagenImage 'd' -ApiKey 'sk-live-WRONG-1111111111111111' -Verbose; " +
            "Save-ImagenImage -Uri http://not-https.example/x.png -Verbose");

        Assert.NotEmpty(result.Verbose);
        Assert.NotEmpty(result.Debug);
        Assert.NotEmpty(result.Warnings);
        Assert.NotEmpty(result.Errors);
        var everything = result.AllText() + string.Join("\n", session.Host.Lines);
        Assert.DoesNotContain("sk-live-SECRET-4242424242424242", everything);
        Assert.DoesNotContain("sk-live-WRONG-1111111111111111", everything);
        foreach (var file in Directory.GetFiles(session.Folder, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain("sk-live-SECRET", File.ReadAllText(file));
        }
    }
}
