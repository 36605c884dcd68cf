using RunApi.PowerShell.Tests.Support;

namespace RunApi.PowerShell.Tests;

/// <summary>Parameter names users bring from PowerShell's own cmdlets (Copy-Item, Save-Module, Invoke-RestMethod) work here too.</summary>
public class ParameterAliasTests
{
    [Fact]
    public async Task Every_OutputDirectory_answers_to_Destination_and_every_MaxRetries_to_MaximumRetryCount()
    {
        await using var session = await ModuleSession.StartAsync();
        var parameters = session.Run("""
            foreach ($command in Get-Command -Module RunApi) {
                foreach ($parameter in $command.Parameters.Values | Where-Object Name -in 'OutputDirectory', 'MaxRetries') {
                    '{0} -{1}: {2}' -f $command.Name, $parameter.Name, ($parameter.Aliases -join ',')
                }
            }
            """).Output.Select(o => o.ToString()).Order().ToList();

        Assert.Equal(new[]
        {
            "Get-ImagenTask -MaxRetries: MaximumRetryCount",
            "Get-RunApiBalance -MaxRetries: MaximumRetryCount",
            "New-ImagenImage -MaxRetries: MaximumRetryCount",
            "New-ImagenImage -OutputDirectory: Destination",
            "Resume-ImagenJob -MaxRetries: MaximumRetryCount",
            "Save-ImagenImage -MaxRetries: MaximumRetryCount",
            "Save-ImagenImage -OutputDirectory: Destination",
            "Wait-ImagenTask -MaxRetries: MaximumRetryCount",
        }, parameters);
    }

    [Fact]
    public async Task New_ImagenImage_with_Destination_and_MaximumRetryCount_saves_into_that_folder()
    {
        await using var session = await ModuleSession.StartAsync();

        var result = session.Run("New-ImagenImage 'a red cube' -Destination ./out -MaximumRetryCount 1");

        Assert.Empty(result.Errors);
        var file = Assert.Single(result.Objects<FileInfo>());
        Assert.Equal(Path.Combine(session.Folder, "out"), file.DirectoryName);
    }
}
