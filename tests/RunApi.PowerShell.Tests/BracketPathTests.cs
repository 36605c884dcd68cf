using RunApi.PowerShell.Tests.Support;

namespace RunApi.PowerShell.Tests;

/// <summary>
/// Brackets are wildcards in -Path and -InputPath: a path under a folder named out[1] matches nothing there, which is an
/// error naming it (as Get-Item gives), not silence; the literal parameters take such names as written.
/// </summary>
public class BracketPathTests
{
    private static async Task<ModuleSession> SessionWithAnImageUnderBrackets()
    {
        var session = await ModuleSession.StartAsync();
        session.Run("'a red cube' | New-ImagenImage -OutputDirectory ./out");
        Directory.Move(Path.Combine(session.Folder, "out"), Path.Combine(session.Folder, "out[1]"));
        return session;
    }

    [Fact]
    public async Task Get_ImagenImageInfo_Path_that_matches_nothing_is_an_error_pointing_to_LiteralPath()
    {
        await using var session = await SessionWithAnImageUnderBrackets();

        var byPattern = session.Run("Get-ImagenImageInfo -Path './out[1]/*.png'");
        var literal = session.Run("Get-ImagenImageInfo -LiteralPath (Get-ChildItem -LiteralPath './out[1]').FullName");

        Assert.Empty(byPattern.Output);
        var error = Assert.Single(byPattern.Errors);
        Assert.Equal("RunApiImageNotFound", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("'./out[1]/*.png'", error.Shown());
        Assert.Contains("-LiteralPath", error.Shown());
        Assert.Empty(literal.Errors);
        Assert.Equal("a red cube", Assert.Single(literal.Output).Get<string>("Prompt"));
    }

    [Fact]
    public async Task Export_ImagenGallery_InputPath_that_matches_nothing_is_an_error_and_LiteralInputPath_takes_the_folder()
    {
        await using var session = await SessionWithAnImageUnderBrackets();

        var byPattern = session.Run("Export-ImagenGallery ./a.html -InputPath './out[1]'");
        var literal = session.Run("Export-ImagenGallery ./b.html -LiteralInputPath './out[1]'");

        var error = Assert.Single(byPattern.Errors);
        Assert.Equal("RunApiImageNotFound", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("-LiteralInputPath", error.Shown());
        Assert.False(File.Exists(Path.Combine(session.Folder, "a.html")), "no empty page beside the error");
        Assert.Empty(literal.Errors);
        Assert.Empty(literal.Warnings);
        Assert.Contains("a red cube", File.ReadAllText(Path.Combine(session.Folder, "b.html")));
    }
}
