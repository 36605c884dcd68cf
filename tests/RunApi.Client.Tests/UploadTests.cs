using RunApi.Client.Errors;
using RunApi.Client.Tests.Support;
using RunApi.Simulator;

namespace RunApi.Client.Tests;

/// <summary>Local source images go up through prepare, PUT and confirm; the key never goes to the upload host.</summary>
public sealed class UploadTests : IAsyncLifetime, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("runapi-up-").FullName;
    private RunApiSimulator _simulator = null!;

    public async Task InitializeAsync() => _simulator = await RunApiSimulator.StartAsync();
    public async Task DisposeAsync() => await _simulator.DisposeAsync();
    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_local_image_is_uploaded_and_served_back_byte_for_byte()
    {
        // A PNG signature, then anything: the signature is what the upload checks.
        var bytes = PngSignature.Concat(Enumerable.Range(0, 5000).Select(i => (byte)(i * 7))).ToArray();
        var path = Path.Combine(_folder, "cat.png");
        File.WriteAllBytes(path, bytes);

        var uploaded = await Clients.For(_simulator).UploadFileAsync(path);

        Assert.Equal(new[] { "/api/v1/files/prepare", "PUT", "/api/v1/files/confirm" },
            _simulator.Requests.Select(r => r.OnFilesOrigin ? r.Method : r.Path));
        var put = _simulator.Requests.Single(r => r.Method == "PUT");
        Assert.True(put.OnFilesOrigin);
        Assert.Null(put.Authorization);
        Assert.Equal(bytes.Length, uploaded.SizeBytes);
        using var http = new HttpClient();
        Assert.Equal(bytes, await http.GetByteArrayAsync(uploaded.Url));
    }

    internal static readonly byte[] PngSignature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    [Theory]
    [InlineData("notes.png", "hello, I am text")]
    [InlineData("page.jpg", "<!DOCTYPE html><html>")]
    public async Task A_file_named_as_an_image_that_is_not_one_is_refused_before_any_request(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        var error = await Assert.ThrowsAsync<RunApiException>(() => Clients.For(_simulator).UploadFileAsync(path));
        Assert.Equal(RunApiErrorKind.Validation, error.Kind);
        Assert.Contains("is not an image", error.Message);
        Assert.Empty(_simulator.Requests);
    }

    [Fact]
    public async Task A_file_type_the_api_does_not_take_is_refused_before_any_request()
    {
        var path = Path.Combine(_folder, "notes.txt");
        File.WriteAllText(path, "hello");
        var error = await Assert.ThrowsAsync<RunApiException>(() => Clients.For(_simulator).UploadFileAsync(path));
        Assert.Equal(RunApiErrorKind.Validation, error.Kind);
        Assert.Empty(_simulator.Requests);
    }

    [Fact]
    public async Task An_upload_url_off_https_is_refused_and_the_file_not_sent()
    {
        var path = Path.Combine(_folder, "cat.png");
        File.WriteAllBytes(path, PngSignature);
        _simulator.Faults.Add(FaultRule.Respond(200, """{"signed_id":"s","upload_url":"http://uploads.example.com/x","headers":{}}""").For("POST", "/api/v1/files/prepare"));

        var error = await Assert.ThrowsAsync<RunApiException>(() => Clients.For(_simulator).UploadFileAsync(path));
        Assert.Equal(RunApiErrorKind.InvalidResponse, error.Kind);
        Assert.Single(_simulator.Requests);
    }
}
