using RunApi.PowerShell.Tests.Support;

namespace RunApi.PowerShell.Tests;

[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment
{
}

/// <summary>Environment variables are process-wide, so these tests run alone.</summary>
[Collection(nameof(ProcessEnvironment))]
public class EnvironmentTests
{
    [Fact]
    public async Task The_key_and_origin_come_from_the_environment_when_not_given()
    {
        await using var session = await ModuleSession.StartAsync(configureDefaults: false);
        try
        {
            Environment.SetEnvironmentVariable("RUNAPI_API_KEY", session.Simulator.ApiKey);
            Environment.SetEnvironmentVariable("RUNAPI_BASE_URL", session.Simulator.BaseUri.ToString());
            var result = session.Run("New-ImagenImage 'a red cube' -Wait");
            Assert.Empty(result.Errors);
            Assert.Equal("completed", Assert.Single(result.Tasks()).Get<string>("Status"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("RUNAPI_API_KEY", null);
            Environment.SetEnvironmentVariable("RUNAPI_BASE_URL", null);
        }
    }

    [Fact]
    public async Task No_key_anywhere_ends_the_call_and_says_how_to_set_one()
    {
        await using var session = await ModuleSession.StartAsync(configureDefaults: false);
        Environment.SetEnvironmentVariable("RUNAPI_API_KEY", null);
        Environment.SetEnvironmentVariable("RUNAPI_KEY", null);
        var result = session.Run($"New-ImagenImage 'x','y' -BaseUri {session.Simulator.BaseUri}");

        var error = Assert.Single(result.Errors);
        Assert.Equal("RunApiMissingApiKey", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("RUNAPI_API_KEY", error.Exception.Message);
        Assert.Empty(session.Simulator.Requests);
    }
}
