using RunApi.Client.Configuration;
using RunApi.Client.Downloads;
using RunApi.Client.Errors;
using RunApi.Client.Http;
using RunApi.Client.Models;
using RunApi.Client.Tests.Support;
using RunApi.Simulator;

namespace RunApi.Client.Tests.Hardening;

/// <summary>
/// A service that echoes the key back, escaped or encoded, in a body, a header, a task id or an image URL: the key
/// reaches no message, no output field, no file name and no other host.
/// </summary>
public sealed class KeyEchoTests : IAsyncLifetime, IDisposable
{
    private const string Key = KeyForms.AwkwardKey;
    private const string CreatePath = "/api/v1/imagen_4/text_to_image";
    private readonly string _folder = Directory.CreateTempSubdirectory("runapi-key-").FullName;
    private readonly List<HttpExchange> _exchanges = new();
    private RunApiSimulator _simulator = null!;

    public async Task InitializeAsync() =>
        _simulator = await RunApiSimulator.StartAsync(new SimulatorOptions { ApiKey = Key, GenerationTime = TimeSpan.Zero });

    public async Task DisposeAsync() => await _simulator.DisposeAsync();
    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private RunApiClient Client() =>
        new(new RunApiSettings(_simulator.BaseUri, new ApiKey(Key)), Clients.Options(observer: e => { lock (_exchanges) _exchanges.Add(e); }, captureBodies: true));

    private void AssertNothingShowsTheKey(Exception error)
    {
        KeyForms.AssertAbsent(Key, error);
        lock (_exchanges)
        {
            foreach (var exchange in _exchanges)
            {
                KeyForms.AssertAbsent(Key, exchange.ToString(), "a verbose line");
                KeyForms.AssertAbsent(Key, exchange.ResponseBody, "a debug body");
                KeyForms.AssertAbsent(Key, exchange.RequestId, "a request id");
            }
        }
    }

    public static IEnumerable<object[]> Encodings() => new[]
    {
        new object[] { "as is", Key },
        new object[] { "every character \\u-escaped", KeyForms.JsonEscaped(Key) },
        new object[] { "\\u002B and \\/", KeyForms.JsonMixed(Key) },
        new object[] { "URL-encoded", KeyForms.UrlEncoded(Key) },
        new object[] { "base64, the key first", KeyForms.Base64(Key) },
        new object[] { "base64 after one byte", KeyForms.Base64("x" + Key) },
        new object[] { "base64 after two bytes", KeyForms.Base64("xx" + Key) },
        new object[] { "base64url, unpadded", KeyForms.Base64Url("xx" + Key) },
        new object[] { "hex", KeyForms.Hex(Key) },
        new object[] { "split by JSON's \\n", KeyForms.Split(Key, "\\n") },
        new object[] { "\\u-escaped and split by \\r\\n", KeyForms.Split(Key, "\\r\\n", KeyForms.JsonEscaped) },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task An_error_body_that_echoes_the_key_shows_it_nowhere(string how, string echoed)
    {
        _ = how;
        _simulator.Faults.Add(FaultRule.Respond(422,
            $$$"""{"error":{"message":"bad key {{{echoed}}}","code":"k_{{{echoed}}}"},"errors":{"prompt":["seen {{{echoed}}}"],"{{{echoed}}}":["x"]}}""")
            .For("POST", CreatePath));

        var error = await Assert.ThrowsAsync<RunApiException>(() => Client().CreateAsync(new TextToImageRequest("a red cube")));

        Assert.Equal(RunApiErrorKind.Validation, error.Kind);
        // Masked in place; base64 of "xx" + key keeps the characters that hold the "xx" bits ("bad key eHh***").
        Assert.Matches(@"bad key [A-Za-z0-9]{0,3}\*\*\*:", error.Message);
        AssertNothingShowsTheKey(error);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task A_failed_task_whose_error_echoes_the_key_shows_it_nowhere(string how, string echoed)
    {
        _ = how;
        var client = Client();
        var created = await client.CreateAsync(new TextToImageRequest("a red cube"));
        _simulator.Faults.Add(FaultRule.Respond(200, $$"""{"id":"{{created.Id}}","status":"failed","error":"quota of {{echoed}} used up"}""")
            .For("GET", CreatePath + "/" + created.Id));

        var error = await Assert.ThrowsAsync<RunApiException>(() => client.WaitAsync(created));

        Assert.Equal(RunApiErrorKind.TaskFailed, error.Kind);
        AssertNothingShowsTheKey(error);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task A_create_answered_with_the_key_as_task_id_is_refused(string how, string echoed)
    {
        _ = how;
        _simulator.Faults.Add(FaultRule.Respond(200, $$"""{"id":"{{echoed}}","status":"pending"}""").For("POST", CreatePath));

        var error = await Assert.ThrowsAsync<RunApiException>(() => Client().CreateAsync(new TextToImageRequest("a red cube")));

        Assert.Equal(RunApiErrorKind.InvalidResponse, error.Kind);
        Assert.Contains("contains the API key", error.Message);
        AssertNothingShowsTheKey(error);
    }

    [Theory]
    [InlineData("as is")]
    [InlineData("URL-encoded")]
    public async Task A_task_whose_image_url_holds_the_key_is_refused_and_nothing_is_downloaded(string how)
    {
        var client = Client();
        var created = await client.CreateAsync(new TextToImageRequest("a red cube"));
        var echoed = how == "as is" ? Key : KeyForms.UrlEncoded(Key);
        _simulator.Faults.Add(FaultRule.Respond(200,
            $$"""{"id":"{{created.Id}}","status":"completed","images":[{"url":"{{_simulator.FilesBaseUri}}generated/{{created.Id}}/0.png?k={{echoed}}"}]}""")
            .For("GET", CreatePath + "/" + created.Id));

        var error = await Assert.ThrowsAsync<RunApiException>(() => client.WaitAsync(created));

        Assert.Equal(RunApiErrorKind.InvalidResponse, error.Kind);
        AssertNothingShowsTheKey(error);
        Assert.DoesNotContain(_simulator.Requests, r => r.OnFilesOrigin);
    }

    [Fact]
    public async Task The_key_in_a_request_id_or_a_location_header_is_masked()
    {
        _simulator.Faults.Add(FaultRule.Respond(503, "{}", ("x-request-id", "req_" + Key)).For("POST", CreatePath).Times(1));
        _simulator.Faults.Add(FaultRule.Respond(302, null, ("Location", "https://elsewhere.example/?key=" + KeyForms.UrlEncoded(Key))).For("POST", CreatePath).Times(1));

        var unavailable = await Assert.ThrowsAsync<RunApiException>(() => Client().CreateAsync(new TextToImageRequest("a red cube")));
        var redirected = await Assert.ThrowsAsync<RunApiException>(() => Client().CreateAsync(new TextToImageRequest("a red cube")));

        Assert.Equal("req_***", unavailable.RequestId);
        Assert.Equal(RunApiErrorKind.RequestFailed, redirected.Kind);
        AssertNothingShowsTheKey(unavailable);
        AssertNothingShowsTheKey(redirected);
    }

    [Theory]
    [InlineData("base64")]
    [InlineData("hex")]
    [InlineData("split by spaces")]
    public async Task An_encoded_key_in_a_request_id_is_masked(string how)
    {
        // Header values cannot hold a line break; spaces are what can split a key there.
        var echoed = how switch { "base64" => KeyForms.Base64("x" + Key), "hex" => KeyForms.Hex(Key), _ => KeyForms.Split(Key, "  ") };
        _simulator.Faults.Add(FaultRule.Respond(503, "{}", ("x-request-id", "req_" + echoed)).For("POST", CreatePath).Times(1));

        var error = await Assert.ThrowsAsync<RunApiException>(() => Client().CreateAsync(new TextToImageRequest("a red cube")));

        Assert.StartsWith("req_", error.RequestId);
        AssertNothingShowsTheKey(error);
    }

    [Fact]
    public async Task A_page_with_the_key_across_lines_shows_it_nowhere()
    {
        // Not JSON, so real line breaks: the key wrapped by a template, and in a wrapped base64 block.
        var wrapped = string.Join("\r\n", KeyForms.Base64("xx" + Key).Chunk(12).Select(c => new string(c)));
        _simulator.Faults.Add(FaultRule.Respond(502, $"<html><body>bad gateway for {KeyForms.Split(Key, "\r\n    ")}<pre>\n{wrapped}\n</pre></body></html>")
            .For("POST", CreatePath));

        var error = await Assert.ThrowsAsync<RunApiException>(() => Client().CreateAsync(new TextToImageRequest("a red cube")));

        Assert.Contains("bad gateway for ***", error.ResponseBody);
        AssertNothingShowsTheKey(error);
    }

    [Fact]
    public async Task An_upload_url_or_header_that_holds_the_key_is_refused_before_the_file_is_sent()
    {
        var path = Path.Combine(_folder, "cat.png");
        File.WriteAllBytes(path, UploadTests.PngSignature);
        _simulator.Faults.Add(FaultRule.Respond(200,
            $$$"""{"signed_id":"s","upload_url":"{{{_simulator.FilesBaseUri}}}uploads/x","headers":{"Authorization":"Bearer {{{KeyForms.JsonEscaped(Key)}}}"}}""")
            .For("POST", "/api/v1/files/prepare"));

        var error = await Assert.ThrowsAsync<RunApiException>(() => Client().UploadFileAsync(path));

        Assert.Equal(RunApiErrorKind.InvalidResponse, error.Kind);
        AssertNothingShowsTheKey(error);
        Assert.DoesNotContain(_simulator.Requests, r => r.Method == "PUT");
    }

    [Fact]
    public async Task A_normal_batch_still_works_with_a_key_that_needs_escaping()
    {
        var client = Client();
        var created = await client.CreateAsync(new TextToImageRequest("a red cube"));
        var done = await client.WaitAsync(created);
        var saved = await new ImageDownloader(Clients.Options()).DownloadAsync(new Uri(done.Images![0].Url), DownloadTarget.InDirectory(_folder, done.Id + "_0", false));
        Assert.True(File.Exists(saved.Path));
    }
}
