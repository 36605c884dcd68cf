using System.Management.Automation;
using RunApi.PowerShell.Tests.Support;
using RunApi.Simulator;

namespace RunApi.PowerShell.Tests;

/// <summary>What makes the module pleasant in a console: completion, progress, and errors that say what to do.</summary>
public class ExperienceTests
{
    private static IReadOnlyList<string> Complete(ModuleSession session, string line)
    {
        var result = session.Run($"(TabExpansion2 -inputScript '{line.Replace("'", "''")}' -cursorColumn {line.Length}).CompletionMatches | ForEach-Object CompletionText");
        Assert.Empty(result.Errors);
        return result.Output.Select(o => o.ToString()).ToList();
    }

    [Fact]
    public async Task Model_completes_with_the_variant_names()
    {
        await using var session = await ModuleSession.StartAsync();
        Assert.Equal(new[] { "imagen-4", "imagen-4-fast", "imagen-4-ultra", "imagen-4-pro-remix-image" }, Complete(session, "New-ImagenImage x -Model "));
        Assert.Equal(new[] { "imagen-4-ultra" }, Complete(session, "New-ImagenImage x -Model imagen-4-u"));
    }

    [Fact]
    public async Task AspectRatio_completes_with_the_ratios_of_the_chosen_model()
    {
        await using var session = await ModuleSession.StartAsync();
        Assert.Equal(new[] { "1:1", "16:9", "9:16", "3:4", "4:3", "auto" }, Complete(session, "New-ImagenImage x -Model imagen-4-fast -AspectRatio "));
        Assert.DoesNotContain("auto", Complete(session, "New-ImagenImage x -Model imagen-4-ultra -AspectRatio "));
        Assert.Contains("21:9", Complete(session, "New-ImagenImage x -SourceImage https://example.com/a.png -AspectRatio "));
    }

    [Fact]
    public async Task A_wait_shows_one_progress_bar_counting_done_and_failed_and_completes_it()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Run("$tasks = New-ImagenImage 'a','b [fail]','c'");
        var before = session.Host.Progress.Count;
        session.Run("$tasks | Wait-ImagenTask -ErrorAction SilentlyContinue");

        var progress = session.Host.Progress.Skip(before).ToList();
        Assert.All(progress, p => Assert.Equal("Waiting for Imagen tasks", p.Activity));
        Assert.Single(progress.Select(p => p.ActivityId).Distinct());
        var last = progress[^1];
        Assert.Equal(ProgressRecordType.Completed, last.RecordType);
        Assert.Equal("3 tasks: 0 generating, 2 completed, 1 failed", last.StatusDescription);
    }

    [Fact]
    public async Task A_401_says_how_to_set_the_key()
    {
        await using var session = await ModuleSession.StartAsync();
        var error = Assert.Single(session.Run("New-ImagenImage 'x' -ApiKey 'not-the-key'").Errors);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Contains("RUNAPI_API_KEY", error.Shown());
        Assert.Contains("-ApiKey", error.Shown());
    }

    [Fact]
    public async Task A_402_says_the_credits_are_spent_and_names_the_prompt()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Simulator.BalanceCents = 0;
        var error = Assert.Single(session.Run("New-ImagenImage 'a lighthouse'").Errors);
        Assert.Equal(ErrorCategory.QuotaExceeded, error.CategoryInfo.Category);
        Assert.Equal("a lighthouse", error.TargetObject);
        Assert.Contains("credits are spent", error.Shown());
        Assert.Contains("a lighthouse", error.Shown());
    }

    [Fact]
    public async Task A_bad_value_in_one_csv_row_fails_that_row_alone()
    {
        await using var session = await ModuleSession.StartAsync();
        var result = session.Run("@([pscustomobject]@{ Prompt = 'a cat'; AspectRatio = '1:1' }, [pscustomobject]@{ Prompt = 'a dog'; AspectRatio = '2:3' }, [pscustomobject]@{ Prompt = 'a cow'; AspectRatio = '4:3' }) | New-ImagenImage");

        Assert.Equal(new[] { "a cat", "a cow" }, result.Tasks().Select(t => t.Get<string>("Prompt")).OrderBy(p => p));
        var error = Assert.Single(result.Errors);
        Assert.Equal("a dog", error.TargetObject);
        Assert.Contains("-AspectRatio", error.Exception.Message);
    }
}
