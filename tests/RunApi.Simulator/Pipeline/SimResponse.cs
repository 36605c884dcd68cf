using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RunApi.Simulator.Pipeline;

/// <summary>
/// A response a handler has decided on but not yet sent. Keeping it a value lets the fault pipeline run a handler
/// and then discard, drop or truncate what it would have sent.
/// </summary>
internal sealed class SimResponse
{
    private static readonly JsonSerializerOptions JsonWriteOptions = new()
    {
        // Prompts and file names are echoed in places; keep them readable rather than \u-escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public required int StatusCode { get; init; }

    public string? ContentType { get; init; }

    /// <summary>Exact number of bytes <see cref="WriteBodyAsync"/> writes; sent as Content-Length. Null: none is sent (chunked).</summary>
    public long? ContentLength { get; init; }

    public List<(string Name, string Value)> Headers { get; } = new();

    /// <summary>Writes exactly <see cref="ContentLength"/> bytes.</summary>
    public Func<Stream, CancellationToken, Task> WriteBodyAsync { get; init; } = static (_, _) => Task.CompletedTask;

    public static SimResponse Json(int statusCode, JsonNode body) =>
        Bytes(statusCode, "application/json; charset=utf-8", Encoding.UTF8.GetBytes(body.ToJsonString(JsonWriteOptions)));

    public static SimResponse Bytes(int statusCode, string contentType, byte[] bytes) => new()
    {
        StatusCode = statusCode,
        ContentType = contentType,
        ContentLength = bytes.Length,
        WriteBodyAsync = (stream, ct) => stream.WriteAsync(bytes, ct).AsTask(),
    };

    public static SimResponse Empty(int statusCode) => new() { StatusCode = statusCode };

    public static SimResponse Streamed(int statusCode, string contentType, long? length, Func<Stream, CancellationToken, Task> write) => new()
    {
        StatusCode = statusCode,
        ContentType = contentType,
        ContentLength = length,
        WriteBodyAsync = write,
    };

    /// <summary>A fault rule's canned answer; the content type is guessed from the body so HTML and JSON look real.</summary>
    public static SimResponse Canned(int statusCode, string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return Empty(statusCode);
        }

        var trimmed = body.TrimStart();
        var contentType = trimmed.StartsWith('{') || trimmed.StartsWith('[') ? "application/json; charset=utf-8"
            : trimmed.StartsWith('<') ? "text/html; charset=utf-8"
            : "text/plain; charset=utf-8";
        return Bytes(statusCode, contentType, Encoding.UTF8.GetBytes(body));
    }

    public SimResponse WithHeader(string name, string value)
    {
        Headers.Add((name, value));
        return this;
    }
}
