using RunApi.Client.Downloads;
using RunApi.Client.Errors;
using RunApi.Client.Models;
using RunApi.Client.Tests.Support;
using RunApi.Simulator;

namespace RunApi.Client.Tests;

/// <summary>Images reach disk whole, under a final name, or not at all; and never with the key.</summary>
public sealed class DownloadTests : IAsyncLifetime, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("runapi-dl-").FullName;
    private RunApiSimulator _simulator = null!;

    public async Task InitializeAsync() =>
        _simulator = await RunApiSimulator.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.Zero, ImageBytes = 300_000 });

    public async Task DisposeAsync() => await _simulator.DisposeAsync();
    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<TaskResponse> CompletedTask()
    {
        var client = Clients.For(_simulator);
        var created = await client.CreateAsync(new TextToImageRequest("a red cube"));
        return await client.WaitAsync(TaskEndpoint.TextToImage, created.Id);
    }

    private static Uri UrlOf(TaskResponse task) => new(task.Images![0].Url);

    [Fact]
    public async Task The_file_holds_exactly_the_served_bytes_and_gets_its_extension_from_them()
    {
        var task = await CompletedTask();
        var saved = await new ImageDownloader(Clients.Options()).DownloadAsync(UrlOf(task), DownloadTarget.InDirectory(_folder, task.Id + "_0", overwrite: false));

        Assert.Equal(Path.Combine(_folder, task.Id + "_0.png"), saved.Path);
        Assert.Equal(_simulator.GetImageBytes(task.Id, 0), File.ReadAllBytes(saved.Path));
        Assert.Equal(new[] { Path.GetFileName(saved.Path) }, Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task The_image_host_never_sees_the_key()
    {
        var task = await CompletedTask();
        await new ImageDownloader(Clients.Options()).DownloadAsync(UrlOf(task), DownloadTarget.InDirectory(_folder, "x", false));
        var download = Assert.Single(_simulator.Requests, r => r.OnFilesOrigin);
        Assert.Null(download.Authorization);
    }

    [Fact]
    public async Task A_body_cut_short_leaves_no_file_at_all()
    {
        var task = await CompletedTask();
        _simulator.Faults.Add(FaultRule.TruncateBody(0.5).For("GET", "/generated/").Times(1));

        var error = await Assert.ThrowsAsync<RunApiException>(
            () => new ImageDownloader(Clients.Options()).DownloadAsync(UrlOf(task), DownloadTarget.InDirectory(_folder, "cut", false)));

        Assert.Equal(RunApiErrorKind.Network, error.Kind);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task An_existing_file_is_kept_unless_overwrite_is_asked()
    {
        var task = await CompletedTask();
        var path = Path.Combine(_folder, "mine.png");
        File.WriteAllText(path, "precious");

        await Assert.ThrowsAsync<DestinationExistsException>(
            () => new ImageDownloader(Clients.Options()).DownloadAsync(UrlOf(task), DownloadTarget.ExactPath(path, overwrite: false)));
        Assert.Equal("precious", File.ReadAllText(path));
        Assert.DoesNotContain(_simulator.Requests, r => r.OnFilesOrigin);

        await new ImageDownloader(Clients.Options()).DownloadAsync(UrlOf(task), DownloadTarget.ExactPath(path, overwrite: true));
        Assert.Equal(_simulator.GetImageBytes(task.Id, 0), File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task Plain_http_off_loopback_is_refused_without_a_request()
    {
        var error = await Assert.ThrowsAsync<RunApiException>(
            () => new ImageDownloader(Clients.Options()).DownloadAsync(new Uri("http://file.runapi.ai/x.png"), DownloadTarget.InDirectory(_folder, "x", false)));
        Assert.Equal(RunApiErrorKind.Validation, error.Kind);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task A_missing_image_is_not_found()
    {
        var error = await Assert.ThrowsAsync<RunApiException>(
            () => new ImageDownloader(Clients.Options()).DownloadAsync(new Uri(_simulator.FilesBaseUri, "/generated/task_nope/0.png"), DownloadTarget.InDirectory(_folder, "x", false)));
        Assert.Equal(RunApiErrorKind.NotFound, error.Kind);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task An_expired_URLs_XML_403_through_a_proxy_is_the_files_hosts_answer_not_the_proxys()
    {
        var task = await CompletedTask();
        _simulator.Faults.Add(FaultRule.Respond(403, "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code></Error>",
            ("Content-Type", "application/xml")).For("GET", "/generated/"));
        // The files host stands in as the proxy too: it serves a request sent to it in a proxy's form.
        var options = Clients.Options();
        options.Proxy = new Http.ProxySettings(_simulator.FilesBaseUri, null, false, false);

        var error = await Assert.ThrowsAsync<RunApiException>(
            () => new ImageDownloader(options).DownloadAsync(UrlOf(task), DownloadTarget.InDirectory(_folder, "expired", false)));

        Assert.Equal(RunApiErrorKind.RequestFailed, error.Kind);
        Assert.Equal(403, error.StatusCode);
        Assert.DoesNotContain("proxy", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("../../etc/passwd", "_.._etc_passwd-")]
    [InlineData("CON", "_CON-")]
    [InlineData("task_1/../x", "task_1_.._x-")]
    [InlineData("..", "image-")]
    [InlineData("a:b*c?d", "a_b_c_d-")]
    public void Names_from_the_service_cannot_escape_the_folder(string text, string expected)
    {
        var name = SafeFileName.From(text);
        Assert.StartsWith(expected, name);
        Assert.Matches("-[0-9a-f]{8}$", name);
        Assert.Equal(_folder, Path.GetDirectoryName(Path.GetFullPath(Path.Combine(_folder, name))));
    }

    [Fact]
    public void A_name_that_needs_no_change_is_kept_as_it_is()
    {
        Assert.Equal("task_abc-123_0", SafeFileName.From("task_abc-123_0"));
    }

    [Theory]
    [InlineData("x/y_0", "x_y_0")]
    [InlineData("x:y_0", "x_y_0")]
    [InlineData("CON_0", "_CON_0")]
    public void Ids_that_sanitise_alike_get_distinct_names(string a, string b)
    {
        Assert.NotEqual(SafeFileName.From(a), SafeFileName.From(b));
    }

    [Fact]
    public void A_long_id_keeps_its_index_distinct_after_the_cut()
    {
        var id = new string('t', 200);
        var names = Enumerable.Range(0, 4).Select(i => SafeFileName.From(id + "_" + i)).ToList();
        Assert.Equal(4, names.Distinct().Count());
        Assert.All(names, n => Assert.True(n.Length <= 120, n));
    }
}
