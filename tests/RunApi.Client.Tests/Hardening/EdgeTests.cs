using System.Net;
using System.Net.Http.Headers;
using RunApi.Client.Downloads;
using RunApi.Client.Errors;
using RunApi.Client.Http;
using RunApi.Client.Models;
using RunApi.Client.Tests.Support;
using RunApi.Simulator;

namespace RunApi.Client.Tests.Hardening;

/// <summary>Redirects, answers about another task, stale Retry-After dates, and the transport's own settings.</summary>
public sealed class EdgeTests : IAsyncLifetime, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("runapi-edges-").FullName;
    private RunApiSimulator _simulator = null!;

    public async Task InitializeAsync() =>
        _simulator = await RunApiSimulator.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.Zero, ImageBytes = 50_000 });

    public async Task DisposeAsync() => await _simulator.DisposeAsync();
    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Task<TaskResponse> DoneAsync() => Clients.CompletedTaskAsync(_simulator);

    [Theory]
    [InlineData("http://images.example.com/x.png")]
    [InlineData("ftp://images.example.com/x.png")]
    public async Task A_download_redirected_off_https_is_not_followed(string location)
    {
        var done = await DoneAsync();
        _simulator.Faults.Add(FaultRule.Respond(302, null, ("Location", location)).For("GET", "/generated/"));

        var error = await Assert.ThrowsAsync<RunApiException>(() =>
            new ImageDownloader(Clients.Options()).DownloadAsync(new Uri(done.Images![0].Url), DownloadTarget.InDirectory(_folder, "x", false)));

        Assert.Equal(RunApiErrorKind.InvalidResponse, error.Kind);
        Assert.Contains("not https", error.Message);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task A_download_redirected_to_another_allowed_url_is_followed_and_saved()
    {
        var done = await DoneAsync();
        var real = done.Images![0].Url;
        _simulator.Faults.Add(FaultRule.Respond(307, null, ("Location", real)).For("GET", "/moved/"));

        var saved = await new ImageDownloader(Clients.Options()).DownloadAsync(new Uri(_simulator.FilesBaseUri, "/moved/0.png"), DownloadTarget.InDirectory(_folder, "x", false));

        Assert.Equal(_simulator.GetImageBytes(done.Id, 0), File.ReadAllBytes(saved.Path));
    }

    [Fact]
    public async Task An_answer_about_another_task_is_refused()
    {
        var client = Clients.For(_simulator);
        var created = await client.CreateAsync(new TextToImageRequest("a red cube"));
        _simulator.Faults.Add(FaultRule.Respond(200, """{"id":"task_someone_else","status":"completed","images":[{"url":"https://file.runapi.ai/x.png"}]}""")
            .For("GET", "/api/v1/imagen_4/text_to_image/" + created.Id));

        var error = await Assert.ThrowsAsync<RunApiException>(() => client.GetTaskAsync(created.Endpoint, created.Id));

        Assert.Equal(RunApiErrorKind.InvalidResponse, error.Kind);
        Assert.Contains("task_someone_else", error.Message);
    }

    [Fact]
    public async Task A_create_answered_with_a_task_id_that_is_not_a_path_segment_is_refused_with_its_key()
    {
        _simulator.Faults.Add(FaultRule.Respond(200, """{"id":"..","status":"pending"}""").For("POST", "/api/v1/imagen_4/text_to_image"));

        var error = await Assert.ThrowsAsync<RunApiException>(() => Clients.For(_simulator).CreateAsync(new TextToImageRequest("a red cube"), "key-1"));

        Assert.Equal(RunApiErrorKind.InvalidResponse, error.Kind);
        Assert.Equal("key-1", error.IdempotencyKey);
    }

    [Fact]
    public void A_retry_after_date_in_the_past_falls_back_to_backoff()
    {
        var now = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
        Assert.Null(ErrorResponses.RetryAfterDelay(new RetryConditionHeaderValue(now.AddMinutes(-5)), now));
        Assert.Equal(TimeSpan.FromSeconds(30), ErrorResponses.RetryAfterDelay(new RetryConditionHeaderValue(now.AddSeconds(30)), now));
    }

    [Fact]
    public void Windows_PowerShell_gets_TLS_1_2_added_and_the_system_default_is_left_alone()
    {
        var old = SecurityProtocolType.Tls | (SecurityProtocolType)48; // TLS 1.0 and SSL 3, as .NET Framework 4.5 apps start
        Assert.True(SharedHttpClients.WithModernTls(old).HasFlag(SecurityProtocolType.Tls12));
        Assert.True(SharedHttpClients.WithModernTls(old).HasFlag(SecurityProtocolType.Tls));
        Assert.Equal((SecurityProtocolType)0, SharedHttpClients.WithModernTls((SecurityProtocolType)0));
    }

    [Fact]
    public void The_handlers_follow_no_redirect_themselves_and_renew_pooled_connections()
    {
        foreach (var decompress in new[] { true, false })
        {
            using var handler = SharedHttpClients.CreateHandler(decompress, proxy: null);
            var socketsHandler = Assert.IsType<SocketsHttpHandler>(handler);
            Assert.False(socketsHandler.AllowAutoRedirect);
            Assert.Equal(SharedHttpClients.PooledConnectionLifetime, socketsHandler.PooledConnectionLifetime);
            Assert.False(socketsHandler.UseCookies);
        }
    }
}
