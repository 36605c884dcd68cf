using System.Diagnostics;
using System.Management.Automation;
using RunApi.PowerShell.Tests.Support;
using RunApi.Simulator;

namespace RunApi.PowerShell.Tests;

/// <summary>What a user depends on besides the happy path: cost checks, errors, binding, stopping, streams.</summary>
public class CmdletBehaviourTests
{
    [Fact]
    public async Task WhatIf_sends_nothing_and_states_the_cost_of_the_whole_call()
    {
        await using var session = await ModuleSession.StartAsync();
        var result = session.Run("New-ImagenImage 'a red cube','a blue cube' -Model imagen-4-ultra -WhatIf");

        Assert.Empty(session.Simulator.Requests);
        Assert.Empty(result.Output);
        var whatIf = string.Join("\n", session.Host.Lines);
        Assert.Contains("imagen-4-ultra", whatIf);
        Assert.Contains("$0.24", whatIf);
        Assert.Contains("2 images", whatIf);
    }

    [Theory]
    [InlineData("New-ImagenImage 'x' -Model imagen-5", "Model")]
    [InlineData("New-ImagenImage 'x' -AspectRatio 2:3", "AspectRatio")]
    [InlineData("New-ImagenImage 'x' -Model imagen-4-pro-remix-image -SourceImage https://example.com/a.png -Seed 3", "Seed")]
    [InlineData("New-ImagenImage 'x' -Model imagen-4-pro-remix-image -SourceImage https://example.com/a.png -NegativePrompt blur", "NegativePrompt")]
    [InlineData("New-ImagenImage 'x' -Model imagen-4-pro-remix-image", "SourceImage")]
    [InlineData("New-ImagenImage 'x' -SourceImage (1..9 | ForEach-Object { \"https://example.com/$_.png\" })", "SourceImage")]
    [InlineData("New-ImagenImage 'x' -Model imagen-4-pro-remix-image -SourceImage https://example.com/a.png -OutputResolution 8k", "OutputResolution")]
    [InlineData("New-ImagenImage 'x' -OutputFormat png", "OutputFormat")]
    public async Task Bad_parameters_end_the_call_before_any_request_and_name_the_parameter(string script, string parameter)
    {
        await using var session = await ModuleSession.StartAsync();
        var result = session.Run(script);

        Assert.Empty(session.Simulator.Requests);
        var error = Assert.Single(result.Errors);
        Assert.Equal("RunApiInvalidParameter,RunApi.PowerShell.Commands.NewImagenImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.StartsWith("-" + parameter + ":", error.Exception.Message);
    }

    [Fact]
    public async Task An_empty_prompt_in_a_batch_fails_alone_and_the_others_go_through()
    {
        await using var session = await ModuleSession.StartAsync();
        var result = session.Run("New-ImagenImage 'a cat','  ','a dog'");

        Assert.Equal(2, result.Tasks().Count());
        var error = Assert.Single(result.Errors);
        Assert.Equal("RunApiInvalidPrompt", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("  ", error.TargetObject);
        Assert.Contains("prompt is required", error.Exception.Message);
    }

    [Fact]
    public async Task A_failed_task_is_an_error_record_naming_the_task_and_the_service_text()
    {
        await using var session = await ModuleSession.StartAsync();
        var result = session.Run("New-ImagenImage 'a cat','a dog [fail]','a cow' | Wait-ImagenTask");

        Assert.Equal(2, result.Tasks().Count());
        var error = Assert.Single(result.Errors);
        var failed = session.Simulator.Tasks.Single(t => t.WillFail);
        Assert.Equal("RunApiTaskFailed", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.InvalidResult, error.CategoryInfo.Category);
        var target = PSObject.AsPSObject(error.TargetObject);
        Assert.Contains("RunApi.ImagenTask", target.TypeNames);
        Assert.Equal(failed.Id, target.Get<string>("TaskId"));
        Assert.Equal("failed", target.Get<string>("Status"));
        Assert.Equal("a dog [fail]", target.Get<string>("Prompt"));
        Assert.Contains(failed.Id, error.Exception.Message);
        Assert.Contains("Generation failed", error.Exception.Message);
    }

    [Fact]
    public async Task Get_ImagenTask_binds_task_id_and_TaskId_from_plain_rows_and_reports_unknown_ids_alone()
    {
        await using var session = await ModuleSession.StartAsync();
        var ids = session.Run("New-ImagenImage 'a','b'").Tasks().Select(t => t.Get<string>("TaskId")).ToList();

        var result = session.Run($"@([pscustomobject]@{{ task_id = '{ids[0]}' }}, [pscustomobject]@{{ TaskId = 'task_unknown' }}, [pscustomobject]@{{ TaskId = '{ids[1]}' }}) | Get-ImagenTask");

        Assert.Equal(ids.OrderBy(i => i), result.Tasks().Select(t => t.Get<string>("TaskId")).OrderBy(i => i));
        Assert.All(result.Tasks(), t => Assert.Equal("completed", t.Get<string>("Status")));
        var error = Assert.Single(result.Errors);
        Assert.Equal("RunApiNotFound", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("task_unknown", error.TargetObject);
    }

    [Fact]
    public async Task Stop_ends_a_long_wait_within_a_second()
    {
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.FromHours(1) });
        var task = session.Run("New-ImagenImage 'slow'").Tasks().Single();
        var polled = session.Simulator.WaitForRequestAsync(r => r.Method == "GET" && r.Path.EndsWith(task.Get<string>("TaskId")));

        using var shell = session.Begin($"Wait-ImagenTask -TaskId {task.Get<string>("TaskId")}", out var pending);
        await polled.WaitAsync(TimeSpan.FromSeconds(10));
        var clock = Stopwatch.StartNew();
        shell.Stop();
        clock.Stop();

        Assert.True(pending.IsCompleted);
        Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"Stop took {clock.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task Verbose_gives_one_line_per_exchange_and_no_stream_ever_shows_the_key()
    {
        await using var session = await ModuleSession.StartAsync();
        var result = session.Run("$null = New-ImagenImage 'a cat','a dog [fail]' -Wait -Verbose -Debug; " +
                                 "New-ImagenImage 'x' -ApiKey 'sk-wrong-key-123456' -Verbose -Debug");
        var requests = session.Simulator.Requests.Where(r => !r.OnFilesOrigin).ToList();

        var lines = result.Verbose.Where(v => v.StartsWith("RunAPI ")).ToList();
        Assert.Equal(requests.Count, lines.Count);
        Assert.All(requests, r => Assert.Contains(lines, l => l.Contains($"{r.Method} {r.Path} -> {r.StatusCode} (request id {r.RequestId}) in ")));
        Assert.Contains(result.Debug, d => d.Contains("request body") && d.Contains("a cat"));
        Assert.Contains(result.Errors, e => e.CategoryInfo.Category == ErrorCategory.AuthenticationError);

        var everything = result.AllText();
        Assert.DoesNotContain(session.Simulator.ApiKey, everything);
        Assert.DoesNotContain("sk-wrong-key-123456", everything);
    }

    [Fact]
    public async Task Save_never_overwrites_without_Force()
    {
        await using var session = await ModuleSession.StartAsync();
        var task = session.Run("New-ImagenImage 'a red cube' -Wait").Tasks().Single();
        var path = Path.Combine(session.Folder, "cube.png");
        File.WriteAllText(path, "precious");
        session.Run("$task = Get-ImagenTask -TaskId " + task.Get<string>("TaskId"));

        var refused = session.Run("$task | Save-ImagenImage -Path ./cube.png");
        Assert.Equal("RunApiFileExists", Assert.Single(refused.Errors).FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("precious", File.ReadAllText(path));

        var forced = session.Run("$task | Save-ImagenImage -Path ./cube.png -Force");
        Assert.Empty(forced.Errors);
        Assert.Equal(session.Simulator.GetImageBytes(task.Get<string>("TaskId"), 0), ServedImages.WithoutText(File.ReadAllBytes(path)));
    }

    [Fact]
    public async Task An_unfinished_task_cannot_be_saved_and_says_what_to_do()
    {
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.FromHours(1) });
        var result = session.Run("New-ImagenImage 'slow' | Save-ImagenImage");

        var error = Assert.Single(result.Errors);
        Assert.Equal("RunApiTaskNotCompleted", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("Wait-ImagenTask", error.ErrorDetails.RecommendedAction);
        Assert.Empty(Directory.GetFiles(session.Folder));
    }

    [Fact]
    public async Task An_insecure_base_uri_ends_the_call_without_sending_the_key()
    {
        await using var session = await ModuleSession.StartAsync(configureDefaults: false);
        var result = session.Run("New-ImagenImage 'x' -ApiKey 'k' -BaseUri http://runapi.example");

        var error = Assert.Single(result.Errors);
        Assert.Equal("RunApiInsecureBaseUri", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("https", error.Exception.Message);
    }
}
