using RunApi.PowerShell.Tests.Support;
using RunApi.Simulator;

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
    public async Task A_uri_is_saved_under_a_name_from_its_path_and_a_path_under_the_given_one()
    {
        var (session, taskId, url) = await SessionWithCompletedTask();
        await using var _ = session;
        Assert.Equal(taskId + "_0.png", Assert.Single(session.Run($"Save-ImagenImage -Uri '{url}'").Objects<FileInfo>()).Name);
        Assert.Equal("chosen.png", Assert.Single(session.Run($"Save-ImagenImage -Uri '{url}' -Path ./chosen.png").Objects<FileInfo>()).Name);
        Assert.Equal(session.Simulator.GetImageBytes(taskId, 0), ServedImages.WithoutText(File.ReadAllBytes(Path.Combine(session.Folder, "chosen.png"))));
    }

    [Fact]
    public async Task Urls_that_end_in_an_image_index_are_named_with_the_task_segment_before_it()
    {
        await using var session = await ModuleSession.StartAsync();
        var tasks = session.Run("$tasks = 'a red cube','a blue cube' | New-ImagenImage -Wait; $tasks").Tasks();

        var result = session.Run("Save-ImagenImage -Uri $tasks.Images.Url -OutputDirectory ./out");

        Assert.Empty(result.Errors);
        Assert.Equal(tasks.Select(t => t.Get<string>("TaskId") + "_0.png").Order(), result.Objects<FileInfo>().Select(f => f.Name).Order());
    }

    [Theory]
    [InlineData("https://cdn.example/abc123.png", "abc123")]
    [InlineData("https://cdn.example/generated/task_a/0.png?expires=1", "task_a_0")]
    [InlineData("https://cdn.example/pbxt/Xy7k2/out-0.png", "Xy7k2_out-0")]
    [InlineData("https://cdn.example/renders/Xy7k2/image.webp", "Xy7k2_image")]
    [InlineData("https://cdn.example/1024.png", "1024")]
    public async Task A_url_keeps_its_own_name_unless_that_is_only_an_index_or_a_generic_word(string url, string name)
    {
        await using var session = await ModuleSession.StartAsync();

        var result = session.Run($"Save-ImagenImage -Uri '{url}' -WhatIf");

        Assert.Empty(result.Errors);
        Assert.Contains(session.Host.Lines, l => l.Contains($"\"{Path.Combine(session.Folder, name)}.*\""));
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
    public async Task A_csv_of_tasks_saves_back_offline_one_file_per_image_named_by_its_task_with_the_rows_provenance()
    {
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.Zero, ImagesPerTask = 2 });
        session.Run("'a red cube','a blue cube' | New-ImagenImage -Model imagen-4-fast -Wait | Export-Csv ./tasks.csv");
        var requestsBefore = session.Simulator.Requests.Count;

        var result = session.Run("Import-Csv ./tasks.csv | Save-ImagenImage -OutputDirectory ./out");

        Assert.DoesNotContain("RunApi.ImagenImage[]", File.ReadAllText(Path.Combine(session.Folder, "tasks.csv")));
        Assert.Empty(result.Errors);
        var expected = session.Simulator.Tasks.SelectMany(t => new[] { (t.Id + "_0.png", t.Prompt), (t.Id + "_1.png", t.Prompt) });
        Assert.Equal(expected.Order(), result.Output.Select(f => (f.Get<string>("Name"), f.Get<string>("Prompt"))).Order());
        Assert.All(result.Output, f => Assert.Equal("imagen-4-fast", f.Get<string>("Model")));
        Assert.All(session.Simulator.Requests.Skip(requestsBefore), r => Assert.True(r.OnFilesOrigin, r.Path)); // the URLs came from the file
    }

    [Fact]
    public async Task A_csv_row_of_an_earlier_version_without_image_urls_is_saved_by_its_task_id()
    {
        var (session, taskId, _) = await SessionWithCompletedTask();
        await using var _ = session;

        var result = session.Run($"[pscustomobject]@{{ TaskId = '{taskId}'; Images = 'RunApi.ImagenImage[]' }} | Save-ImagenImage");

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
