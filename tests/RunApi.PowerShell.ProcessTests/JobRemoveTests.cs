using System.Text.RegularExpressions;
using RunApi.PowerShell.Tests.Support;
using RunApi.Simulator;

namespace RunApi.PowerShell.Tests;

/// <summary>Remove-ImagenJob: by id, age, status and name; -WhatIf; a running job refused; images and a chosen journal kept.</summary>
[Collection(nameof(ProcessEnvironment))]
public class JobRemoveTests
{
    private static IReadOnlyList<string> Ids(ModuleSession session) => session.Run("Get-ImagenJob").Output.Select(j => j.Get<string>("Id")).ToList();

    /// <summary>Makes the job look as if it ended <paramref name="daysAgo"/> days ago (its summary still names its journal).</summary>
    private static void Age(string id, int daysAgo)
    {
        var path = Path.Combine(Jobs.Folder(id), "summary.json");
        var old = DateTimeOffset.UtcNow.AddDays(-daysAgo).ToString("yyyy-MM-ddTHH:mm:ss+00:00");
        File.WriteAllText(path, Regex.Replace(File.ReadAllText(path), "\"endedAt\":\"[^\"]+\"", $"\"endedAt\":\"{old}\""));
    }

    [Fact]
    public Task A_job_removed_by_id_leaves_its_images_and_WhatIf_removes_nothing() => Jobs.InOwnFolder(async _ =>
    {
        await using var session = await ModuleSession.StartAsync();
        var id = Jobs.IdOf(session.Run("'a','b' | New-ImagenImage -OutputDirectory ./out"));

        session.Run($"Remove-ImagenJob -Id {id} -WhatIf");
        Assert.Contains(session.Host.Lines, l => l.Contains($"Remove job {id}") && l.Contains("2 rows") && l.Contains("no image is removed"));
        Assert.True(Directory.Exists(Jobs.Folder(id)));

        var removed = session.Run($"Get-ImagenJob -Id {id} | Remove-ImagenJob");

        Assert.Empty(removed.Errors);
        Assert.False(Directory.Exists(Jobs.Folder(id)));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(session.Folder, "out")).Length);
        Assert.Empty(Ids(session));
        Assert.StartsWith("RunApiJobNotFound", Assert.Single(session.Run($"Remove-ImagenJob -Id {id}").Errors).FullyQualifiedErrorId);
    });

    [Fact]
    public Task Jobs_are_removed_by_age_status_and_name_and_a_filter_is_required() => Jobs.InOwnFolder(async _ =>
    {
        await using var session = await ModuleSession.StartAsync();
        var old = Jobs.IdOf(session.Run("'a' | New-ImagenImage -JobName old"));
        var recent = Jobs.IdOf(session.Run("'b' | New-ImagenImage -JobName recent"));
        var failed = Jobs.IdOf(session.Run("'c [fail]' | New-ImagenImage -Wait -JobName failed -ErrorAction SilentlyContinue"));
        Age(old, 40);

        session.Run("Remove-ImagenJob -OlderThan 30.00:00:00");
        Assert.Equal(new[] { failed, recent }.Order(), Ids(session).Order());

        session.Run("Remove-ImagenJob -Status CompletedWithErrors");
        Assert.Equal([recent], Ids(session));

        session.Run("Remove-ImagenJob -Name rec*");
        Assert.Empty(Ids(session));

        var refused = session.Run("try { Remove-ImagenJob -ErrorAction Stop } catch { $_.FullyQualifiedErrorId }");
        Assert.StartsWith("RunApiJobFilterMissing", refused.Output.Single().ToString());
    });

    [Fact]
    public Task A_running_job_is_refused_and_a_journal_the_user_chose_is_kept() => Jobs.InOwnFolder(async _ =>
    {
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.FromSeconds(3) });
        await using var other = ModuleSession.Open(session.Simulator, session.Folder, ownsFolder: false);
        using var running = other.Begin("'a' | New-ImagenImage -Wait -JournalPath ./mine.jsonl -JobName mine", out var pending);
        string? id = null;
        for (var i = 0; i < 100 && id is null; i++)
        {
            await Task.Delay(50);
            id = session.Run("Get-ImagenJob -Name mine").Output.SingleOrDefault()?.Get<string>("Id");
        }

        var refused = session.Run($"Remove-ImagenJob -Id {id}");
        var filtered = session.Run("Remove-ImagenJob -Name mine");

        Assert.StartsWith("RunApiJobRunning", Assert.Single(refused.Errors).FullyQualifiedErrorId);
        Assert.Empty(filtered.Errors); // a filter passes over a running job
        Assert.True(Directory.Exists(Jobs.Folder(id!)));
        running.EndInvoke(pending);

        session.Run($"Remove-ImagenJob -Id {id}");
        Assert.False(Directory.Exists(Jobs.Folder(id!)));
        Assert.True(File.Exists(Path.Combine(session.Folder, "mine.jsonl")));
    });
}
