using System.Management.Automation;
using RunApi.PowerShell.Tests.Support;
using RunApi.Simulator;

namespace RunApi.PowerShell.Tests;

/// <summary>What a user sees when the service misbehaves: no key anywhere, every image under its own name, local faults as local.</summary>
public class HardeningTests
{
    private const string AwkwardKey = "sk-live+Ab/9xQ=zz7Kq";

    private static string[] FormsOf(string key) =>
        new[] { key, string.Concat(key.Select(c => $"\\u{(int)c:x4}")), key.Replace("+", "\\u002B").Replace("/", "\\/"), Uri.EscapeDataString(key) };

    [Fact]
    public async Task A_service_echoing_the_key_escaped_shows_it_in_no_stream()
    {
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { ApiKey = AwkwardKey, GenerationTime = TimeSpan.Zero });
        var escaped = string.Concat(AwkwardKey.Select(c => $"\\u{(int)c:x4}"));
        session.Simulator.Faults.Add(FaultRule.Respond(503, $$"""{"error":"no channel for {{escaped}}"}""", ("x-request-id", "req_" + AwkwardKey))
            .For("POST", "/api/v1/imagen_4/text_to_image").Times(2));
        session.Simulator.Faults.Add(FaultRule.Respond(422, $$$"""{"message":"prompt refused for {{{escaped}}}","errors":{"prompt":["{{{Uri.EscapeDataString(AwkwardKey)}}}"]}}""")
            .For("POST", "/api/v1/imagen_4/text_to_image").Times(1));

        var result = session.Run("New-ImagenImage 'a red cube' -MaxRetries 1 -Verbose -Debug; New-ImagenImage 'a blue cube' -MaxRetries 0 -Verbose -Debug");

        Assert.Equal(2, result.Errors.Count);
        Assert.NotEmpty(result.Warnings); // the retry notice, with its request id
        var text = result.AllText() + string.Join("\n", session.Host.Warnings);
        foreach (var form in FormsOf(AwkwardKey)) Assert.DoesNotContain(form, text);
        Assert.Contains("req_***", text);
    }

    [Fact]
    public async Task Eight_urls_that_all_end_in_0_png_are_saved_as_eight_files_and_a_ninth_of_the_same_name_gets_a_hash()
    {
        await using var session = await ModuleSession.StartAsync();
        var tasks = session.Run("1..8 | ForEach-Object { \"cube $_\" } | New-ImagenImage -Wait").Tasks();
        var urls = tasks.Select(t => ((IEnumerable<object>)t.Raw("Images")!).Select(i => PSObject.AsPSObject(i).Get<string>("Url")).Single()).ToList();
        Assert.All(urls, u => Assert.EndsWith("/0.png", u));
        urls.Add(urls[0] + "?copy=2"); // another URL, the same name

        var result = session.Run($"Save-ImagenImage -Uri {string.Join(",", urls.Select(u => "'" + u + "'"))} -OutputDirectory ./out");

        Assert.Empty(result.Errors);
        var names = Directory.GetFiles(Path.Combine(session.Folder, "out")).Select(Path.GetFileName).ToList();
        Assert.Equal(9, names.Count);
        Assert.Equal(9, result.Objects<FileInfo>().Select(f => f.FullName).Distinct().Count());
        var first = tasks[0].Get<string>("TaskId") + "_0";
        Assert.All(tasks, t => Assert.Contains(t.Get<string>("TaskId") + "_0.png", names));
        Assert.Single(names, n => n!.StartsWith(first + "-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_text_file_named_png_as_source_image_is_refused_before_anything_is_sent()
    {
        await using var session = await ModuleSession.StartAsync();
        File.WriteAllText(Path.Combine(session.Folder, "notes.png"), "these are my notes");

        var result = session.Run("New-ImagenImage 'restyle it' -SourceImage ./notes.png");

        var error = Assert.Single(result.Errors);
        Assert.Contains("is not an image", error.Exception.Message);
        Assert.Empty(session.Simulator.Requests);
        Assert.Empty(session.Simulator.Tasks);
    }

    [Fact]
    public async Task A_file_where_the_output_folder_should_be_is_one_error_naming_it_before_any_download()
    {
        await using var session = await ModuleSession.StartAsync();
        var task = session.Run("New-ImagenImage 'a red cube' -Wait").Tasks().Single();
        File.WriteAllText(Path.Combine(session.Folder, "out"), "a file");
        session.Simulator.ResetRequests();
        session.Runspace.SessionStateProxy.SetVariable("t", task);

        var result = session.Run("$t | Save-ImagenImage -OutputDirectory ./out -MaxRetries 3");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("RunApiInvalidOutputDirectory", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains(Path.Combine(session.Folder, "out") + "' is a file", error.Exception.Message);
        Assert.Empty(result.Warnings); // not retried
        Assert.Empty(session.Simulator.Requests);
    }
}
