using RunApi.PowerShell.Tests.Support;

namespace RunApi.PowerShell.Tests;

/// <summary>Everyday edges a new user hit in real pwsh, each as it was reproduced.</summary>
public class RoughEdgeTests
{
    [Fact]
    public async Task A_task_given_by_position_binds_as_the_task_and_keeps_its_endpoint_and_prompt()
    {
        await using var session = await ModuleSession.StartAsync();
        File.WriteAllBytes(Path.Combine(session.Folder, "cat.png"), TestImages.Png(1, 2, 3));
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
        File.WriteAllBytes(Path.Combine(session.Folder, "cat.png"), TestImages.Png(1, 2, 3));

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

    [Fact]
    public async Task An_empty_api_key_is_refused_locally_as_a_missing_key()
    {
        await using var session = await ModuleSession.StartAsync(configureDefaults: false);
        session.Run($"$PSDefaultParameterValues['*-Imagen*:BaseUri'] = '{session.Simulator.BaseUri}'");

        var result = session.Run("New-ImagenImage 'a red cube' -ApiKey ''");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("RunApiMissingApiKey", error.FullyQualifiedErrorId);
        Assert.Empty(session.Simulator.Requests);
    }

    [Fact]
    public async Task A_timeout_gives_its_advice_once()
    {
        await using var session = await ModuleSession.StartAsync(new Simulator.SimulatorOptions { GenerationTime = TimeSpan.FromMinutes(5) });

        var error = session.Run("New-ImagenImage 'a red cube' -Wait -TimeoutSec 1").Errors.Single();

        var shown = error.Shown();
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(shown, "Wait-ImagenTask"));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(shown, "-TimeoutSec"));
    }

    [Fact]
    public async Task Messages_name_parameters_not_api_fields()
    {
        await using var session = await ModuleSession.StartAsync();

        var error = session.Run("New-ImagenImage 'a red cube' -AspectRatio 7:3").Errors.Single();

        Assert.StartsWith("-AspectRatio: must be one of", error.Exception.Message);
        Assert.DoesNotContain("aspect_ratio", error.Exception.Message);
    }

    [Fact]
    public async Task A_folder_as_source_image_is_called_a_folder_and_a_wildcard_names_the_files()
    {
        await using var session = await ModuleSession.StartAsync();
        Directory.CreateDirectory(Path.Combine(session.Folder, "photos"));
        foreach (var name in new[] { "b.png", "a.png" })
        {
            File.WriteAllBytes(Path.Combine(session.Folder, "photos", name), TestImages.Png(1, 2, 3));
        }

        var folder = session.Run("New-ImagenImage 'a sketch' -SourceImage ./photos");
        var matched = session.Run("New-ImagenImage 'a sketch' -SourceImage ./photos/*.png");
        var none = session.Run("New-ImagenImage 'a sketch' -SourceImage ./photos/*.jpg");

        Assert.Contains("is a folder, not an image file", folder.Errors.Single().Exception.Message);
        Assert.Empty(matched.Errors);
        Assert.Equal(2, session.Simulator.Requests.Count(r => r.Path == "/api/v1/files/prepare"));
        Assert.Contains("No file matches", none.Errors.Single().Exception.Message);
        Assert.Single(session.Simulator.Tasks);
    }

    [Fact]
    public async Task Csv_rows_of_tasks_keep_their_prompt_and_model_through_Get_ImagenTask_and_Save_fetches_their_images()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Run("New-ImagenImage 'a red cube' -Model imagen-4-fast -Wait | Select-Object TaskId, Endpoint, Prompt, Model | Export-Csv ./tasks.csv");

        var task = session.Run("Import-Csv ./tasks.csv | Get-ImagenTask").Tasks().Single();
        var saved = session.Run("Import-Csv ./tasks.csv | Save-ImagenImage -OutputDirectory ./out");

        Assert.Equal("a red cube", task.Get<string>("Prompt"));
        Assert.Equal("imagen-4-fast", task.Get<string>("Model"));
        // A row with only a task id: the task is fetched and its image saved, with the row's facts on the file.
        Assert.Empty(saved.Errors);
        var file = saved.Output.Single();
        Assert.Equal(task.Get<string>("TaskId") + "_0.png", ((FileInfo)file.BaseObject).Name);
        Assert.Equal("a red cube", file.Get<string>("Prompt"));
    }

    [Fact]
    public async Task WhatIf_for_mixed_models_gives_a_count_and_cost_per_model()
    {
        await using var session = await ModuleSession.StartAsync();

        session.Run("'a','b','c' | ForEach-Object { [pscustomobject]@{ Prompt = $_; Model = @{ a = 'imagen-4'; b = 'imagen-4-fast'; c = 'imagen-4' }[$_] } } | New-ImagenImage -WhatIf");

        Assert.Contains(session.Host.Lines, l => l.Contains("Create 3 tasks (3 images) for an estimated $0.20 in all: 2 imagen-4 ($0.16), 1 imagen-4-fast ($0.04)"));
    }

    [Fact]
    public async Task A_row_with_only_a_task_id_and_no_key_says_how_to_get_its_images()
    {
        await using var session = await ModuleSession.StartAsync(configureDefaults: false);
        File.WriteAllText(Path.Combine(session.Folder, "tasks.csv"), "TaskId,Endpoint\ntask_1,text_to_image\n");

        var error = session.Run("Import-Csv ./tasks.csv | Save-ImagenImage -OutputDirectory ./out").Errors.Single();

        Assert.Contains("no API key was found", error.Exception.Message);
        Assert.Contains("Get-ImagenTask", error.Shown());
        Assert.Empty(session.Simulator.Requests);
    }

    [Fact]
    public async Task Piped_files_make_one_remix_each_with_that_file_as_its_source()
    {
        await using var session = await ModuleSession.StartAsync();
        Directory.CreateDirectory(Path.Combine(session.Folder, "photos"));
        foreach (var name in new[] { "a.png", "b.png" })
        {
            File.WriteAllBytes(Path.Combine(session.Folder, "photos", name), TestImages.Png((byte)name[0]));
        }

        var result = session.Run("Get-ChildItem ./photos/*.png | New-ImagenImage -Prompt 'make it a sketch'");

        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Tasks().Count);
        Assert.Equal(2, session.Simulator.Requests.Count(r => r.Path == "/api/v1/files/prepare"));
        var sources = session.Simulator.Tasks.Select(t => System.Text.Json.JsonDocument.Parse(t.RequestBody).RootElement.GetProperty("source_image_urls").GetArrayLength());
        Assert.All(sources, count => Assert.Equal(1, count));
        Assert.Equal(2, session.Simulator.Tasks.Select(t => t.RequestBody).Distinct().Count());
    }

    [Fact]
    public async Task The_task_table_gives_the_prompt_the_rest_of_an_80_column_screen()
    {
        await using var session = await ModuleSession.StartAsync();

        var table = session.Run("New-ImagenImage 'a lighthouse at dusk, oil painting' | Format-Table | Out-String -Width 80").Output.Single().ToString();

        Assert.Contains("a lighthouse at dusk", table);
    }

    [Fact]
    public async Task Path_takes_one_image_even_from_a_task_row_with_several()
    {
        await using var session = await ModuleSession.StartAsync(new Simulator.SimulatorOptions { GenerationTime = TimeSpan.Zero, ImagesPerTask = 2 });
        session.Run("New-ImagenImage 'a red cube' -Wait | Select-Object TaskId, Endpoint | Export-Csv ./tasks.csv");

        var result = session.Run("Import-Csv ./tasks.csv | Save-ImagenImage -Path ./one.png -Force");

        Assert.Single(result.Objects<FileInfo>());
        Assert.Contains("image 1 was not saved", result.Errors.Single().Exception.Message);
    }

    [Fact]
    public async Task A_csv_row_with_a_malformed_url_is_its_own_error_and_the_next_row_is_saved()
    {
        await using var session = await ModuleSession.StartAsync();
        var url = session.Run("New-ImagenImage 'a red cube' -Wait").Tasks().Single().Get<object[]>("Images").Cast<object>()
            .Select(i => System.Management.Automation.PSObject.AsPSObject(i).Get<string>("Url")).Single();
        File.WriteAllText(Path.Combine(session.Folder, "urls.csv"), $"Url\nhttp://host:99999/a.png\n{url}\n");

        var result = session.Run("Import-Csv ./urls.csv | Save-ImagenImage -OutputDirectory ./out");

        Assert.StartsWith("RunApiInvalidImageUrl", result.Errors.Single().FullyQualifiedErrorId);
        Assert.Single(result.Objects<FileInfo>());
    }

    [Fact]
    public async Task A_piped_file_with_brackets_in_its_name_is_that_file_not_a_pattern()
    {
        await using var session = await ModuleSession.StartAsync();
        File.WriteAllBytes(Path.Combine(session.Folder, "photo[1].png"), TestImages.Png(1));
        File.WriteAllBytes(Path.Combine(session.Folder, "photo1.png"), TestImages.Png(2));

        var result = session.Run("Get-Item -LiteralPath './photo[1].png' | New-ImagenImage -Prompt 'a sketch'");

        Assert.Empty(result.Errors);
        var prepare = session.Simulator.Requests.Single(r => r.Path == "/api/v1/files/prepare");
        Assert.Contains("photo[1].png", prepare.Body);
    }
}
