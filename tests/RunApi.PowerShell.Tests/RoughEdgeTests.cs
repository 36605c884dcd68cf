using RunApi.PowerShell.Tests.Support;

namespace RunApi.PowerShell.Tests;

/// <summary>Everyday edges a new user hit in real pwsh, each as it was reproduced.</summary>
public class RoughEdgeTests
{
    [Fact]
    public async Task A_task_given_by_position_binds_as_the_task_and_keeps_its_endpoint_and_prompt()
    {
        await using var session = await ModuleSession.StartAsync();
        File.WriteAllBytes(Path.Combine(session.Folder, "cat.png"), new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3 });
        session.Run("$t = New-ImagenImage 'make it a sketch' -SourceImage ./cat.png");

        var waited = session.Run("Wait-ImagenTask $t");
        var got = session.Run("Get-ImagenTask $t");

        Assert.Empty(waited.Errors);
        foreach (var task in new[] { waited.Tasks().Single(), got.Tasks().Single() })
        {
            Assert.Equal("remix_image", task.Get<string>("Endpoint"));
            Assert.Equal("make it a sketch", task.Get<string>("Prompt"));
            Assert.Equal("imagen-4-pro-remix-image", task.Get<string>("Model"));
        }
    }

    [Fact]
    public async Task Values_in_any_case_are_sent_in_the_contracts_spelling()
    {
        await using var session = await ModuleSession.StartAsync();
        File.WriteAllBytes(Path.Combine(session.Folder, "cat.png"), new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3 });

        var text = session.Run("New-ImagenImage 'a red cube' -Model IMAGEN-4-FAST -AspectRatio AUTO");
        var remix = session.Run("New-ImagenImage 'a sketch' -SourceImage ./cat.png -OutputResolution 4K -OutputFormat PNG");

        Assert.Empty(text.Errors);
        Assert.Empty(remix.Errors);
        var bodies = session.Simulator.Tasks.Select(t => t.RequestBody).ToList();
        Assert.Contains(bodies, b => b.Contains("\"model\":\"imagen-4-fast\"") && b.Contains("\"aspect_ratio\":\"auto\""));
        Assert.Contains(bodies, b => b.Contains("\"output_resolution\":\"4k\"") && b.Contains("\"output_format\":\"png\""));
    }

    [Fact]
    public async Task One_malformed_url_is_its_own_error_and_the_others_are_saved()
    {
        await using var session = await ModuleSession.StartAsync();
        var url = session.Run("New-ImagenImage 'a red cube' -Wait").Tasks().Single().Get<object[]>("Images").Cast<object>()
            .Select(i => System.Management.Automation.PSObject.AsPSObject(i).Get<string>("Url")).Single();

        var result = session.Run($"Save-ImagenImage -Uri 'http://[::1', '{url}' -OutputDirectory ./out");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("RunApiInvalidImageUrl", error.FullyQualifiedErrorId);
        Assert.Single(result.Objects<FileInfo>());
    }

    [Fact]
    public async Task A_task_has_one_status_and_it_reads_as_words_in_json()
    {
        await using var session = await ModuleSession.StartAsync();

        var json = session.Run("New-ImagenImage 'a red cube' -Wait | ConvertTo-Json -Depth 1").Output.Single().ToString();

        Assert.Contains("\"Status\": \"completed\"", json);
        Assert.DoesNotContain("\"State\"", json);
    }
}
