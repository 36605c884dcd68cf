using System.Management.Automation;
using RunApi.PowerShell.Tests.Support;
using RunApi.Simulator;

namespace RunApi.PowerShell.Tests;

/// <summary>
/// -JournalPath refuses, before anything is sent, a journal it cannot resume: one of another batch, one made on another
/// API origin, one that another command has open, and a file that is not a journal it can read.
/// </summary>
public class JournalRefusalTests
{
    private static string Batch(int count, string journal = "./batch.jsonl") =>
        $"1..{count} | ForEach-Object {{ \"prompt $_\" }} | New-ImagenImage -OutputDirectory ./out -JournalPath {journal} -ThrottleLimit 2";

    private static int Posts(ModuleSession session) => session.Simulator.Requests.Count(r => r.Method == "POST");

    [Fact]
    public async Task A_journal_of_another_batch_is_refused_and_nothing_is_sent()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Run(Batch(count: 2));
        var posts = Posts(session);

        var result = session.Run("try { 'another prompt' | New-ImagenImage -JournalPath ./batch.jsonl } catch { $_ }");

        var error = (ErrorRecord)Assert.Single(result.Output).BaseObject;
        Assert.Equal("RunApiJournalMismatch", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("prompt 'prompt 1' there, 'another prompt' here", error.Exception.Message);
        Assert.Equal(posts, Posts(session));

        var model = session.Run("try { 1..2 | ForEach-Object { \"prompt $_\" } | New-ImagenImage -Model imagen-4-fast -OutputDirectory ./out -JournalPath ./batch.jsonl } catch { $_.Exception.Message }");
        Assert.Contains("model imagen-4 there, imagen-4-fast here", Assert.Single(model.Output).ToString());
        Assert.Equal(posts, Posts(session));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_journal_in_use_by_another_command_is_refused_by_whatever_name(bool throughASymlink)
    {
        await using var running = await ModuleSession.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.FromHours(1) });
        await using var other = await ModuleSession.StartAsync();
        var journal = Path.Combine(running.Folder, "shared.jsonl");
        var created = running.Simulator.WaitForRequestAsync(r => r.Method == "POST");
        using var shell = running.Begin($"'one prompt' | New-ImagenImage -Wait -JournalPath '{journal}'", out _);
        await created.WaitAsync(TimeSpan.FromSeconds(20));
        var otherName = journal;
        if (throughASymlink)
        {
            otherName = Path.Combine(other.Folder, "link.jsonl");
            File.CreateSymbolicLink(otherName, journal);
        }

        var result = other.Run($"try {{ 'one prompt' | New-ImagenImage -Wait -JournalPath '{otherName}' }} catch {{ $_ }}");

        var error = (ErrorRecord)Assert.Single(result.Output).BaseObject;
        Assert.Equal("RunApiJournalInUse", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ResourceBusy, error.CategoryInfo.Category);
        Assert.Empty(other.Simulator.Requests);
        shell.Stop();

        // Released when the command ends, whatever way it ended (resumed on the origin it was made on).
        var after = running.Run($"New-ImagenImage 'one prompt' -JournalPath '{journal}'");
        Assert.Empty(after.Errors);
    }

    [Theory]
    [InlineData("not-ours.jsonl", "id,prompt\n1,a cat\n", "RunApiJournalNotAJournal")]
    [InlineData("newer.jsonl", "{\"event\":\"RunApi batch journal\",\"format\":9,\"module\":\"9.0.0\"}\n", "RunApiJournalNewerFormat")]
    [InlineData("missing/batch.jsonl", null, "RunApiJournalFolderMissing")]
    public async Task A_journal_that_cannot_be_used_is_refused_before_anything_is_sent(string name, string? content, string errorId)
    {
        await using var session = await ModuleSession.StartAsync();
        if (content is not null) File.WriteAllText(Path.Combine(session.Folder, name), content);

        var result = session.Run($"try {{ 'a cat' | New-ImagenImage -JournalPath ./{name} }} catch {{ $_ }}");

        var error = (ErrorRecord)Assert.Single(result.Output).BaseObject;
        Assert.Equal(errorId, error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Empty(session.Simulator.Requests);
    }

    [Fact]
    public async Task A_journal_made_on_another_origin_is_refused_naming_both_before_anything_is_sent()
    {
        await using var first = await ModuleSession.StartAsync();
        await using var second = await ModuleSession.StartAsync();
        var journal = Path.Combine(first.Folder, "batch.jsonl");
        first.Run(Batch(2, $"'{journal}'"));
        var firstOrigin = first.Simulator.BaseUri.GetLeftPart(UriPartial.Authority);
        var secondOrigin = second.Simulator.BaseUri.GetLeftPart(UriPartial.Authority);

        var rerun = second.Run($"try {{ {Batch(2, $"'{journal}'")} }} catch {{ $_ }}");
        var looked = second.Run($"try {{ Get-ImagenTask -JournalPath '{journal}' }} catch {{ $_ }}");

        foreach (var result in new[] { rerun, looked })
        {
            var error = (ErrorRecord)Assert.Single(result.Output).BaseObject;
            Assert.Equal("RunApiJournalOtherOrigin", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Contains($"made against {firstOrigin}, and this command uses {secondOrigin}", error.Exception.Message);
        }
        Assert.Empty(second.Simulator.Requests);
        // Read back without asking RunAPI, any origin will do.
        Assert.Equal(2, second.Run($"Get-ImagenTask -JournalPath '{journal}' -Offline").Tasks().Count);
    }

    [Fact]
    public async Task A_journal_of_an_earlier_version_names_no_origin_and_is_resumed_as_it_is()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Run(Batch(2));
        var journal = Path.Combine(session.Folder, "batch.jsonl");
        var lines = File.ReadAllLines(journal);
        lines[0] = System.Text.RegularExpressions.Regex.Replace(lines[0], "\"origin\":\"[^\"]*\",?", "");
        Assert.DoesNotContain("origin", lines[0]);
        File.WriteAllLines(journal, lines);
        var posts = Posts(session);

        var result = session.Run(Batch(2));

        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Objects<FileInfo>().Count());
        Assert.Equal(posts, Posts(session));
    }
}
