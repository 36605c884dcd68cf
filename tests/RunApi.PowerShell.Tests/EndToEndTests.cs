using System.Management.Automation;
using RunApi.PowerShell.Tests.Support;
using RunApi.Simulator;

namespace RunApi.PowerShell.Tests;

/// <summary>The pipeline a user runs, on the real engine against the simulator.</summary>
public class EndToEndTests
{
    [Fact]
    public async Task Generate_wait_and_save_leaves_one_png_with_the_served_bytes()
    {
        await using var session = await ModuleSession.StartAsync();
        var result = session.Run($"New-ImagenImage 'a red cube' -Wait | Save-ImagenImage -OutputDirectory '{session.Folder}'");

        Assert.Empty(result.Errors);
        var file = Assert.Single(result.Objects<FileInfo>());
        var task = Assert.Single(session.Simulator.Tasks);
        Assert.Equal(Path.Combine(session.Folder, task.Id + "_0.png"), file.FullName);
        Assert.Equal(session.Simulator.GetImageBytes(task.Id, 0), ServedImages.WithoutText(File.ReadAllBytes(file.FullName)));
        Assert.Equal(new[] { file.Name }, Directory.GetFiles(session.Folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Create_then_wait_then_save_chain_through_the_pipeline()
    {
        await using var session = await ModuleSession.StartAsync();
        var result = session.Run("New-ImagenImage 'one','two','three' -Model imagen-4-fast | Wait-ImagenTask | Save-ImagenImage");

        Assert.Empty(result.Errors);
        Assert.Equal(3, result.Objects<FileInfo>().Count());
        Assert.Equal(3, session.Simulator.Tasks.Count);
        Assert.All(session.Simulator.Tasks, t => Assert.Equal("imagen-4-fast", t.Model));
    }

    [Fact]
    public async Task A_created_task_carries_what_the_user_and_the_next_cmdlet_need()
    {
        await using var session = await ModuleSession.StartAsync();
        var task = Assert.Single(session.Run("New-ImagenImage 'a red cube' -Model imagen-4-ultra").Tasks());

        Assert.Equal(session.Simulator.Tasks.Single().Id, task.Get<string>("TaskId"));
        Assert.Equal("text_to_image", task.Get<string>("Endpoint"));
        Assert.Equal("imagen-4-ultra", task.Get<string>("Model"));
        Assert.Equal("a red cube", task.Get<string>("Prompt"));
        Assert.Equal(0.12m, task.Get<decimal>("EstimatedCostUsd"));
        Assert.False(task.Get<bool>("Replayed"));
        Assert.NotNull(task.Raw("SubmittedAt"));
        Assert.Matches("^[0-9a-f]{32}$", task.Get<string>("IdempotencyKey"));
    }

    [Fact]
    public async Task Output_directory_waits_and_saves_in_one_call()
    {
        await using var session = await ModuleSession.StartAsync();
        var result = session.Run("New-ImagenImage 'a','b' -OutputDirectory ./shots");

        Assert.Empty(result.Errors);
        var files = result.Objects<FileInfo>().ToList();
        Assert.Equal(2, files.Count);
        Assert.All(files, f => Assert.Equal(Path.Combine(session.Folder, "shots"), f.DirectoryName));
    }

    [Fact]
    public async Task Prompts_bind_from_csv_like_rows_by_property_name()
    {
        await using var session = await ModuleSession.StartAsync();
        var result = session.Run("@([pscustomobject]@{ Prompt = 'a cat'; AspectRatio = '16:9' }, [pscustomobject]@{ Prompt = 'a dog'; AspectRatio = '9:16' }) | New-ImagenImage");

        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Tasks().Count());
        Assert.Equal(new[] { "a cat|16:9", "a dog|9:16" },
            session.Simulator.Tasks.Select(t => t.Prompt + "|" + System.Text.Json.JsonDocument.Parse(t.RequestBody).RootElement.GetProperty("aspect_ratio").GetString()).OrderBy(s => s));
    }

    [Fact]
    public async Task Blank_cells_of_a_row_mean_not_given()
    {
        await using var session = await ModuleSession.StartAsync();
        var result = session.Run(
            "@([pscustomobject]@{ Prompt = 'a cat'; Model = ''; Seed = ''; NegativePrompt = ' '; AspectRatio = '' }, " +
            "  [pscustomobject]@{ Prompt = 'a dog'; Model = 'imagen-4-fast'; Seed = '42'; NegativePrompt = 'blur'; AspectRatio = 'auto' }) | New-ImagenImage; " +
            "[pscustomobject]@{ Prompt = 'restyle'; Seed = ''; NegativePrompt = '' } | New-ImagenImage -SourceImage https://example.com/a.png");

        Assert.Empty(result.Errors);
        var bodies = session.Simulator.Tasks.ToDictionary(t => t.Prompt, t => t.RequestBody);
        Assert.Equal("""{"model":"imagen-4","prompt":"a cat"}""", bodies["a cat"]);
        Assert.Equal("""{"aspect_ratio":"auto","model":"imagen-4-fast","negative_prompt":"blur","prompt":"a dog","seed":42}""", bodies["a dog"]);
        Assert.DoesNotContain("seed", bodies["restyle"]);
    }

    [Fact]
    public async Task Variants_list_the_catalogue_with_wildcards()
    {
        await using var session = await ModuleSession.StartAsync(configureDefaults: false);
        var all = session.Run("Get-ImagenVariant").OfType("RunApi.ImagenVariantInfo").ToList();
        Assert.Equal(new[] { "imagen-4", "imagen-4-fast", "imagen-4-ultra", "imagen-4-pro-remix-image" }, all.Select(v => v.Get<string>("Name")));
        Assert.Equal(0.24m, all.Single(v => v.Get<string>("Name") == "imagen-4-pro-remix-image").Get<decimal>("MaxPriceUsd"));

        var fast = session.Run("Get-ImagenVariant *fast").OfType("RunApi.ImagenVariantInfo");
        Assert.Equal("imagen-4-fast", Assert.Single(fast).Get<string>("Name"));
        Assert.Contains("auto", fast.Single().Get<string[]>("AspectRatios"));
    }
}
