namespace RunApi.Simulator;

/// <summary>One request as the simulator received it and how it answered.</summary>
/// <param name="Path">The decoded request path, e.g. <c>/api/v1/imagen_4/text_to_image</c>.</param>
/// <param name="QueryString">The query as ASP.NET Core gives it: empty, or starting with <c>?</c>.</param>
/// <param name="OnFilesOrigin">True for requests to <see cref="RunApiSimulator.FilesBaseUri"/>.</param>
/// <param name="Authorization">The raw Authorization header, so tests can prove where the key was (not) sent.</param>
/// <param name="Body">The request body decoded as UTF-8 (lossy for binary uploads).</param>
/// <param name="StatusCode">The status sent in the response headers; 0 if the connection was dropped before any response.</param>
/// <param name="RequestId">The x-request-id sent; null if no response was sent.</param>
/// <param name="ReceivedAt">When the request arrived, on the simulator's TimeProvider.</param>
/// <param name="CompletedAt">When the response headers were sent or the connection was dropped, on the simulator's TimeProvider.</param>
/// <param name="Headers">All request headers (case-insensitive names; repeated values joined with ", ").</param>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string QueryString,
    bool OnFilesOrigin,
    string? Authorization,
    string? IdempotencyKey,
    string? ClientRequestId,
    string? UserAgent,
    string Body,
    int StatusCode,
    string? RequestId,
    DateTimeOffset ReceivedAt,
    DateTimeOffset CompletedAt,
    IReadOnlyDictionary<string, string> Headers);
