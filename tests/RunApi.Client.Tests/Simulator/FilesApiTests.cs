using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;

namespace RunApi.Client.Tests.Simulator;

public sealed class FilesApiTests
{
    private static readonly byte[] Content = "some bytes"u8.ToArray();

    [Fact]
    public async Task A_base64_upload_is_served_from_a_temp_url_for_an_hour()
    {
        await using var h = await SimHarness.StartAsync();
        var data = Convert.ToBase64String(Content);

        var reply = await h.PostAsync("/api/v1/files", $$"""{"source":{"type":"base64","data":"{{data}}"},"file_name":"notes.txt"}""");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var body = reply.Body;
        Assert.Equal(
            ["file_name", "url", "size_bytes", "mime_type", "created_at", "expires_at"],
            body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("notes.txt", body.GetProperty("file_name").GetString());
        Assert.Equal(Content.Length, body.GetProperty("size_bytes").GetInt64());
        Assert.Equal("text/plain", body.GetProperty("mime_type").GetString());
        Assert.Equal("2026-06-08T10:30:00Z", body.GetProperty("created_at").GetString());
        Assert.Equal("2026-06-08T11:30:00Z", body.GetProperty("expires_at").GetString());
        var url = body.GetProperty("url").GetString()!;
        Assert.StartsWith($"{h.Sim.FilesBaseUri.GetLeftPart(UriPartial.Authority)}/temp/", url);

        Assert.Equal(Content, await h.Files.GetByteArrayAsync(url));
        h.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.NotFound, (await h.Files.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task A_url_upload_of_a_generated_image_copies_its_bytes()
    {
        await using var h = await SimHarness.StartAsync();
        var id = await h.CreateAsync();
        h.Time.Advance(TimeSpan.FromSeconds(10));
        var imageUrl = (await h.GetTaskAsync(id)).GetProperty("images")[0].GetProperty("url").GetString();

        var reply = await h.PostAsync("/api/v1/files", $$"""{"source":{"type":"url","url":"{{imageUrl}}"},"file_name":"image.png"}""");

        Assert.Equal("image/png", reply.Body.GetProperty("mime_type").GetString());
        Assert.Equal(h.Sim.GetImageBytes(id, 0), await h.Files.GetByteArrayAsync(reply.Body.GetProperty("url").GetString()));
    }

    [Fact]
    public async Task A_url_upload_of_an_outside_url_is_accepted_without_fetching_it()
    {
        await using var h = await SimHarness.StartAsync();

        var reply = await h.PostAsync("/api/v1/files", """{"source":{"type":"url","url":"https://cdn.runapi.ai/public/samples/mask.png"}}""");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("mask.png", reply.Body.GetProperty("file_name").GetString());
        PngChunks.Validate(await h.Files.GetByteArrayAsync(reply.Body.GetProperty("url").GetString()));
    }

    [Theory]
    [InlineData("""{"file_name":"a.png"}""", "source")]
    [InlineData("""{"source":{"type":"ftp","url":"x"}}""", "source.type")]
    [InlineData("""{"source":{"type":"url","url":"not a url"}}""", "source.url")]
    [InlineData("""{"source":{"type":"base64","data":"%%%"}}""", "source.data")]
    public async Task Bad_upload_requests_get_422(string body, string field)
    {
        await using var h = await SimHarness.StartAsync();

        var reply = await h.PostAsync("/api/v1/files", body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Status);
        Assert.True(reply.Body.GetProperty("errors").TryGetProperty(field, out _), reply.Text);
    }

    [Fact]
    public async Task Direct_upload_prepare_put_confirm_serves_the_bytes()
    {
        await using var h = await SimHarness.StartAsync();
        var checksum = Convert.ToBase64String(MD5.HashData(Content));

        var prepared = (await h.PostAsync("/api/v1/files/prepare",
            $$"""{"filename":"image.bin","byte_size":{{Content.Length}},"checksum":"{{checksum}}","content_type":"application/octet-stream"}""")).Body;
        var uploadUrl = prepared.GetProperty("upload_url").GetString()!;
        Assert.StartsWith(h.Sim.FilesBaseUri.GetLeftPart(UriPartial.Authority), uploadUrl);
        Assert.Equal("""{"Content-Type":"application/octet-stream"}""", prepared.GetProperty("headers").GetRawText());

        var put = await h.Files.PutAsync(uploadUrl, Octets(Content));
        var confirmed = await h.PostAsync("/api/v1/files/confirm", $$"""{"signed_id":"{{prepared.GetProperty("signed_id").GetString()}}"}""");

        Assert.True(put.IsSuccessStatusCode);
        Assert.Equal("image.bin", confirmed.Body.GetProperty("file_name").GetString());
        Assert.Equal(Content.Length, confirmed.Body.GetProperty("size_bytes").GetInt64());
        Assert.Equal(Content, await h.Files.GetByteArrayAsync(confirmed.Body.GetProperty("url").GetString()));
        var recordedPut = h.Sim.Requests.Single(r => r.Method == "PUT");
        Assert.True(recordedPut.OnFilesOrigin);
        Assert.Null(recordedPut.Authorization);
    }

    [Fact]
    public async Task Direct_upload_rejects_wrong_bytes_and_an_early_confirm()
    {
        await using var h = await SimHarness.StartAsync();
        var prepared = (await h.PostAsync("/api/v1/files/prepare",
            $$"""{"filename":"a.png","byte_size":{{Content.Length}},"checksum":"{{Convert.ToBase64String(MD5.HashData(Content))}}"}""")).Body;
        var uploadUrl = prepared.GetProperty("upload_url").GetString()!;
        var confirmBody = $$"""{"signed_id":"{{prepared.GetProperty("signed_id").GetString()}}"}""";

        var earlyConfirm = await h.PostAsync("/api/v1/files/confirm", confirmBody);
        var wrongSize = await h.Files.PutAsync(uploadUrl, Octets([1, 2, 3]));
        var wrongChecksum = await h.Files.PutAsync(uploadUrl, Octets("SOME BYTES"u8.ToArray()));
        var unknown = await h.PostAsync("/api/v1/files/confirm", """{"signed_id":"nope"}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, earlyConfirm.Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongSize.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongChecksum.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
    }

    [Fact]
    public async Task Prepare_validates_its_fields()
    {
        await using var h = await SimHarness.StartAsync();

        var reply = await h.PostAsync("/api/v1/files/prepare", """{"byte_size":0,"checksum":"abc"}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Status);
        Assert.Equal(["byte_size", "checksum", "filename"], reply.Body.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    private static ByteArrayContent Octets(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }
}
