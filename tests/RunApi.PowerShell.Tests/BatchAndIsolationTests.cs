using System.Management.Automation;
using System.Text.Json;
using RunApi.PowerShell.Tests.Support;
using RunApi.Simulator;

namespace RunApi.PowerShell.Tests;

/// <summary>Many prompts, local source images, deadlines, and runspaces that must not share keys.</summary>
public class BatchAndIsolationTests
{
    [Fact]
    public async Task A_50_prompt_batch_ends_as_50_files()
    {
        await using var session = await ModuleSession.StartAsync();
        var result = session.Run("1..50 | ForEach-Object { \"prompt number $_\" } | New-ImagenImage -Model imagen-4-fast -OutputDirectory ./batch -ThrottleLimit 16");

        Assert.Empty(result.Errors);
        Assert.Equal(50, result.Objects<FileInfo>().Count());
        Assert.Equal(50, Directory.GetFiles(Path.Combine(session.Folder, "batch"), "*.png").Length);
        Assert.Equal(50, session.Simulator.Tasks.Count);
    }

    [Fact]
    public async Task Local_source_images_are_uploaded_once_per_call_and_sent_as_remix_sources()
    {
        await using var session = await ModuleSession.StartAsync();
        File.WriteAllBytes(Path.Combine(session.Folder, "cat.png"), TestImages.Png(1, 2, 3));
        var result = session.Run("New-ImagenImage 'make it a watercolour','make it a sketch' -SourceImage ./cat.png, https://example.com/dog.jpg -OutputResolution 4k");

        Assert.Empty(result.Errors);
        Assert.Single(session.Simulator.Requests, r => r.Path == "/api/v1/files/prepare");
        Assert.Equal(2, session.Simulator.Tasks.Count);
        foreach (var task in session.Simulator.Tasks)
        {
            Assert.Equal("imagen-4-pro-remix-image", task.Model);
            var sources = JsonDocument.Parse(task.RequestBody).RootElement.GetProperty("source_image_urls").EnumerateArray().Select(e => e.GetString()).ToList();
            Assert.StartsWith(session.Simulator.FilesBaseUri.ToString(), sources[0]);
            Assert.Equal("https://example.com/dog.jpg", sources[1]);
        }
        Assert.All(result.Tasks(), t => Assert.Equal(0.24m, t.Get<decimal>("EstimatedCostUsd")));
    }

    [Fact]
    public async Task A_missing_source_file_ends_the_call_before_anything_is_sent()
    {
        await using var session = await ModuleSession.StartAsync();
        var result = session.Run("New-ImagenImage 'restyle' -SourceImage ./nowhere.png");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("-SourceImage:", error.Exception.Message);
        Assert.Contains("nowhere.png", error.Exception.Message);
        Assert.Empty(session.Simulator.Requests);
    }

    [Fact]
    public async Task WhatIf_with_local_source_images_uploads_nothing()
    {
        await using var session = await ModuleSession.StartAsync();
        File.WriteAllBytes(Path.Combine(session.Folder, "cat.png"), TestImages.Png(1, 2, 3));
        session.Run("New-ImagenImage 'restyle' -SourceImage ./cat.png -WhatIf");
        Assert.Empty(session.Simulator.Requests);
        Assert.Contains(session.Host.Lines, l => l.Contains("imagen-4-pro-remix-image") && l.Contains("$0.18"));
    }

    [Fact]
    public async Task A_wait_deadline_ends_with_one_error_per_unfinished_task()
    {
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.FromHours(1) });
        session.Run("$tasks = New-ImagenImage 'slow one','slow two'");
        var result = session.Run("$tasks | Wait-ImagenTask -TimeoutSec 1");

        Assert.Empty(result.Output);
        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e =>
        {
            Assert.Equal("RunApiTaskTimeout", e.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(ErrorCategory.OperationTimeout, e.CategoryInfo.Category);
            Assert.Contains("RunApi.ImagenTask", PSObject.AsPSObject(e.TargetObject).TypeNames);
        });
    }

    [Fact]
    public async Task Two_runspaces_with_two_keys_in_parallel_never_mix()
    {
        await using var first = await ModuleSession.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.Zero, ApiKey = "sim-key-first-0000000000000000" });
        await using var second = await ModuleSession.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.Zero, ApiKey = "sim-key-second-000000000000000" });

        var runs = new[] { first, second }.Select(s => Task.Run(() => s.Run("1..10 | ForEach-Object { \"p$_\" } | New-ImagenImage -Wait"))).ToArray();
        var results = await Task.WhenAll(runs);

        Assert.All(results, r => Assert.Empty(r.Errors));
        Assert.All(first.Simulator.Requests, r => Assert.Equal("Bearer sim-key-first-0000000000000000", r.Authorization));
        Assert.All(second.Simulator.Requests, r => Assert.Equal("Bearer sim-key-second-000000000000000", r.Authorization));
    }

    [Fact]
    public async Task ForEach_Object_Parallel_runs_keep_their_own_keys()
    {
        await using var session = await ModuleSession.StartAsync(configureDefaults: false);
        var sim = session.Simulator;
        var result = session.Run($"'{sim.ApiKey}','sk-wrong-1111111111111111' | ForEach-Object -Parallel {{ Import-Module '{ModuleSession.ModuleManifest}'; New-ImagenImage \"with $($_.Length)\" -ApiKey $_ -BaseUri '{sim.BaseUri}' }} -ThrottleLimit 2");

        Assert.Single(result.Tasks());
        Assert.Single(result.Errors, e => e.CategoryInfo.Category == ErrorCategory.AuthenticationError);
        Assert.Single(sim.Tasks);
    }
}
