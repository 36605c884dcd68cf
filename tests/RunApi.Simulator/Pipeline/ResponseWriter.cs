using Microsoft.AspNetCore.Http;

namespace RunApi.Simulator.Pipeline;

/// <summary>Sends a <see cref="SimResponse"/> on the wire, whole or cut short.</summary>
internal static class ResponseWriter
{
    public static async Task WriteAsync(HttpContext context, SimResponse response, bool isHead, CancellationToken cancellationToken)
    {
        ApplyHeaders(context, response);

        // Start explicitly, so the request is recorded (OnStarting) before this request's middleware returns,
        // even for bodyless responses that Kestrel would otherwise start later.
        await context.Response.StartAsync(cancellationToken);
        if (!isHead && response.ContentLength is null or > 0)
        {
            await response.WriteBodyAsync(context.Response.Body, cancellationToken);
        }
    }

    /// <summary>
    /// Sends the headers with the full Content-Length, then only <paramref name="fraction"/> of the body, then aborts:
    /// what a client sees when a connection dies mid-download.
    /// </summary>
    public static async Task WriteTruncatedAsync(HttpContext context, SimResponse response, double fraction, CancellationToken cancellationToken)
    {
        ApplyHeaders(context, response);
        var limit = (long)Math.Floor((response.ContentLength ?? 0) * fraction);
        var body = new CuttingStream(context.Response.Body, limit);
        try
        {
            await response.WriteBodyAsync(body, cancellationToken);
        }
        catch (CuttingStream.LimitReachedException)
        {
            // Expected: the body producer was stopped at the cut.
        }

        await context.Response.StartAsync(cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);

        // No Abort() here: an abort resets the socket and throws away bytes not yet on the wire, often including
        // the headers. Returning with fewer bytes than Content-Length makes Kestrel close the connection after
        // sending what was written, which is exactly a body cut short.
    }

    private static void ApplyHeaders(HttpContext context, SimResponse response)
    {
        var http = context.Response;
        http.StatusCode = response.StatusCode;
        if (response.ContentType is not null)
        {
            http.ContentType = response.ContentType;
        }

        // An explicit length (0 for an empty canned fault) unless the response chose none (then chunked); 204 and 304
        // carry no body at all.
        if (response.StatusCode is not (204 or 304) and >= 200 && response.ContentLength is not null)
        {
            http.ContentLength = response.ContentLength;
        }

        foreach (var (name, value) in response.Headers)
        {
            http.Headers[name] = value;
        }
    }
}
