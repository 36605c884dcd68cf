using RunApi.PowerShell.Tests.Support;

namespace RunApi.PowerShell.Tests;

/// <summary>Names users choose, and a save folder checked before anything is paid for.</summary>
public class FileNameTests
{
    [Fact]
    public async Task A_template_names_files_by_row_and_prompt_and_a_clash_gets_a_suffix_not_a_loss()
    {
        await using var session = await ModuleSession.StartAsync();
        File.WriteAllText(Path.Combine(session.Folder, "a-red-cube.png"), "an image of an earlier run");

        var result = session.Run("'a red cube','A red cube!','Crème brûlée on a plate, studio light, with a prompt far longer than any file name wants' | " +
                                 "New-ImagenImage -OutputDirectory . -FileNameTemplate '{Prompt}'");

        Assert.Empty(result.Errors);
        var names = result.Objects<FileInfo>().Select(f => f.Name).ToList();
        Assert.Equal(3, names.Distinct(StringComparer.OrdinalIgnoreCase).Count()); // distinct even where case does not count
        Assert.Contains("Creme-brulee-on-a-plate-studio-light.png", names);
        Assert.Equal(2, names.Count(n => n.StartsWith("a-red-cube-", StringComparison.OrdinalIgnoreCase)
                                         || n.Equals("A-red-cube.png", StringComparison.Ordinal)));
        Assert.DoesNotContain("a-red-cube.png", names); // the earlier run's file keeps its name
        Assert.Equal("an image of an earlier run", File.ReadAllText(Path.Combine(session.Folder, "a-red-cube.png")));
        Assert.Equal(4, Directory.GetFiles(session.Folder).Length);
    }

    [Fact]
    public async Task Row_and_index_tokens_follow_the_input_order()
    {
        await using var session = await ModuleSession.StartAsync();

        var result = session.Run("'one','two','three' | New-ImagenImage -Wait | Save-ImagenImage -OutputDirectory ./out -FileNameTemplate 'img{Row}_{Index}'");

        Assert.Empty(result.Errors);
        Assert.Equal(new[] { "img1_0.png", "img2_0.png", "img3_0.png" }, result.Objects<FileInfo>().Select(f => f.Name).OrderBy(n => n));
    }

    [Theory]
    [InlineData("{Nope}", "unknown token {Nope}")]
    [InlineData("dir/{Row}", "no folder separators")]
    [InlineData("plain", "one or more tokens")]
    public async Task A_bad_template_is_refused_before_anything_is_sent(string template, string says)
    {
        await using var session = await ModuleSession.StartAsync();

        var result = session.Run($"New-ImagenImage 'a red cube' -OutputDirectory ./out -FileNameTemplate '{template}'");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("RunApiInvalidFileNameTemplate", error.FullyQualifiedErrorId);
        Assert.Contains(says, error.Exception.Message);
        Assert.Empty(session.Simulator.Requests);
    }

    [Theory]
    [InlineData("./afile", "is a file, not a folder")]
    [InlineData("Env:/", "Environment provider")]
    [InlineData("/proc/nope/dir", "could not be made")]
    public async Task An_output_folder_that_cannot_be_one_is_refused_before_any_create(string folder, string says)
    {
        await using var session = await ModuleSession.StartAsync();
        File.WriteAllText(Path.Combine(session.Folder, "afile"), "a file");

        var result = session.Run($"New-ImagenImage 'a red cube' -OutputDirectory '{folder}'");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("RunApiInvalidOutputDirectory", error.FullyQualifiedErrorId);
        Assert.Contains(says, error.Exception.Message);
        Assert.Empty(session.Simulator.Requests);
        Assert.Empty(session.Simulator.Tasks);
    }

    [Fact]
    public async Task An_output_folder_that_does_not_exist_is_made_before_the_first_create()
    {
        await using var session = await ModuleSession.StartAsync();

        var result = session.Run("New-ImagenImage 'a red cube' -OutputDirectory ./new/deeper -WhatIf");

        Assert.Empty(result.Errors);
        Assert.False(Directory.Exists(Path.Combine(session.Folder, "new"))); // -WhatIf makes nothing
        session.Run("New-ImagenImage 'a red cube' -OutputDirectory ./new/deeper");
        Assert.Single(Directory.GetFiles(Path.Combine(session.Folder, "new", "deeper")));
    }
}
