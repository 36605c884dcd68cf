using RunApi.PowerShell.Tests.Support;

namespace RunApi.PowerShell.Tests;

/// <summary>Save-ImagenImage takes images in every shape a pipeline brings them.</summary>
public class SaveImageTests
{
    private static async Task<(ModuleSession Session, string TaskId, string Url)> SessionWithCompletedTask()
    {
        var session = await ModuleSession.StartAsync();
        var task = session.Run("$task = New-ImagenImage 'a red cube' -Wait; $task").Tasks().Single();
        var url = session.Run("$task.Images[0].Url").Output.Single().ToString();
        return (session, task.Get<string>("TaskId"), url);
    }

    [Fact]
    public async Task Single_images_from_a_task_are_saved_by_task_id_and_index()
    {
        var (session, taskId, _) = await SessionWithCompletedTask();
        await using var _ = session;
        var file = Assert.Single(session.Run("$task.Images | Save-ImagenImage").Objects<FileInfo>());
        Assert.Equal(taskId + "_0.png", file.Name);
    }

    [Fact]
    public async Task A_uri_is_saved_under_its_own_name_and_a_path_under_the_given_one()
    {
        var (session, taskId, url) = await SessionWithCompletedTask();
        await using var _ = session;
        Assert.Equal("0.png", Assert.Single(session.Run($"Save-ImagenImage -Uri '{url}'").Objects<FileInfo>()).Name);
        Assert.Equal("chosen.png", Assert.Single(session.Run($"Save-ImagenImage -Uri '{url}' -Path ./chosen.png").Objects<FileInfo>()).Name);
        Assert.Equal(session.Simulator.GetImageBytes(taskId, 0), ServedImages.WithoutText(File.ReadAllBytes(Path.Combine(session.Folder, "chosen.png"))));
    }

    [Fact]
    public async Task Csv_rows_with_a_url_and_task_id_are_saved()
    {
        var (session, taskId, url) = await SessionWithCompletedTask();
        await using var _ = session;
        var result = session.Run($"[pscustomobject]@{{ task_id = '{taskId}'; url = '{url}' }} | Save-ImagenImage");
        Assert.Empty(result.Errors);
        Assert.Equal(taskId + "_0.png", Assert.Single(result.Objects<FileInfo>()).Name);
    }

    [Fact]
    public async Task WhatIf_downloads_nothing_and_names_the_destination()
    {
        var (session, taskId, _) = await SessionWithCompletedTask();
        await using var _ = session;
        var result = session.Run("$task | Save-ImagenImage -WhatIf");
        Assert.Empty(result.Output);
        Assert.DoesNotContain(session.Simulator.Requests, r => r.OnFilesOrigin);
        Assert.Contains(session.Host.Lines, l => l.Contains(taskId + "_0"));
        Assert.Empty(Directory.GetFiles(session.Folder));
    }

    [Fact]
    public async Task An_object_without_a_url_is_an_error_that_says_what_to_pipe()
    {
        await using var session = await ModuleSession.StartAsync();
        var error = Assert.Single(session.Run("[pscustomobject]@{ Name = 'nothing' } | Save-ImagenImage").Errors);
        Assert.Equal("RunApiNoImageUrl", error.FullyQualifiedErrorId.Split(',')[0]);
    }
}
