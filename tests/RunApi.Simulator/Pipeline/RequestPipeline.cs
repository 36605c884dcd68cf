using System.Text;
using Microsoft.AspNetCore.Http;
using RunApi.Simulator.Api;
using RunApi.Simulator.Faults;
using RunApi.Simulator.Recording;
using RunApi.Simulator.State;

namespace RunApi.Simulator.Pipeline;

/// <summary>
/// The one middleware: reads the request, records it, applies the first matching fault rule, runs the origin's
/// handler and sends (or mangles) the response. Every response gets x-request-id and the echoed X-Client-Request-Id.
/// </summary>
internal sealed class RequestPipeline(
    RequestLog log,
    FaultInjector faults,
    SimRandom random,
    TimeProvider time,
    Func<int, bool> isFilesPort,
    Func<SimRequest, SimResponse> handleApi,
    Func<SimRequest, SimResponse> handleFiles,
    CancellationToken stopping)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var sequence = log.NextSequence();
        var receivedAt = time.GetUtcNow();
        var recorder = new Recorder(log, sequence, receivedAt, time);
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var cancellationToken = aborted.Token;

        // Recording when the headers go out (not when the body ends) means a client holding the response can
        // always find its request in the log; OnStarting runs before any byte is sent.
        context.Response.OnStarting(() =>
        {
            recorder.Request ??= PartialRequest(context);
            recorder.Record(context.Response.StatusCode, context.Response.Headers["x-request-id"].ToString());
            return Task.CompletedTask;
        });

        SimRequest? request = null;
        try
        {
            request = await ReadRequestAsync(context, cancellationToken);
            recorder.Request = request;
            await RespondAsync(context, request, recorder, cancellationToken);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted && !cancellationToken.IsCancellationRequested)
        {
            // Kestrel's own limits, e.g. a body over the size limit (413).
            await SendAsync(context, request, SimResponse.Json(ex.StatusCode, ApiErrors.Plain(ex.Message)), cancellationToken);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException || cancellationToken.IsCancellationRequested)
        {
            // The client went away or the simulator is stopping: nothing more can be sent.
            Drop(context, recorder);
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            Console.Error.WriteLine($"RunApi.Simulator: unhandled error for {context.Request.Method} {context.Request.Path}: {ex}");
            await SendAsync(context, request, SimResponse.Json(500, ApiErrors.Plain("Simulator error: " + ex.Message)), cancellationToken);
        }
        finally
        {
            recorder.Request ??= PartialRequest(context);
            recorder.Record(0, null);
            log.RaiseCompleted(recorder.Recorded!);
        }
    }

    private async Task RespondAsync(HttpContext context, SimRequest request, Recorder recorder, CancellationToken cancellationToken)
    {
        var handler = request.OnFilesOrigin ? handleFiles : handleApi;
        var rule = faults.Match(request.Method, request.Path);
        if (rule is null)
        {
            await SendAsync(context, request, handler(request), cancellationToken);
            return;
        }

        switch (rule.Kind)
        {
            case FaultKind.Respond:
                rule.NotifyArmed();
                await SendAsync(context, request, CannedResponse(rule), cancellationToken);
                break;

            case FaultKind.RespondAfterProcessing:
                _ = handler(request);
                rule.NotifyArmed();
                await SendAsync(context, request, CannedResponse(rule), cancellationToken);
                break;

            case FaultKind.Delay:
                // Start the timer before announcing the rule fired, so a test that waits for the firing and then
                // advances a fake clock always moves a timer that already exists.
                var delay = Task.Delay(rule.DelayTime, time, cancellationToken);
                rule.NotifyArmed();
                await delay;
                await SendAsync(context, request, handler(request), cancellationToken);
                break;

            case FaultKind.DropConnection:
                rule.NotifyArmed();
                Drop(context, recorder);
                break;

            case FaultKind.DropAfterProcessing:
                _ = handler(request);
                rule.NotifyArmed();
                Drop(context, recorder);
                break;

            case FaultKind.TruncateBody:
                var response = handler(request);
                AddCommonHeaders(context, request, response);
                rule.NotifyArmed();
                await ResponseWriter.WriteTruncatedAsync(context, response, rule.Fraction, cancellationToken);
                break;

            case FaultKind.RespondStreamed:
                rule.NotifyArmed();
                await SendAsync(context, request, SimResponse.Streamed(rule.Status, rule.ContentType!, rule.Length, rule.Writer!), cancellationToken);
                break;

            case FaultKind.Rewrite:
                var original = handler(request);
                rule.NotifyArmed();
                await SendAsync(context, request, await RewrittenAsync(original, rule.Transform!, cancellationToken), cancellationToken);
                break;

            default:
                throw new InvalidOperationException($"Unknown fault kind {rule.Kind}.");
        }
    }

    private static async Task<SimResponse> RewrittenAsync(SimResponse original, Func<string, string> transform, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        await original.WriteBodyAsync(body, cancellationToken);
        var changed = SimResponse.Bytes(original.StatusCode, original.ContentType ?? "application/json; charset=utf-8",
            Encoding.UTF8.GetBytes(transform(Encoding.UTF8.GetString(body.ToArray()))));
        changed.Headers.AddRange(original.Headers);
        return changed;
    }

    /// <summary>Records the drop first: once aborted, the client may look for its request before this method returns.</summary>
    private void Drop(HttpContext context, Recorder recorder)
    {
        recorder.Request ??= PartialRequest(context);
        recorder.Record(0, null);
        context.Abort();
    }

    private async Task SendAsync(HttpContext context, SimRequest? request, SimResponse response, CancellationToken cancellationToken)
    {
        AddCommonHeaders(context, request, response);
        await ResponseWriter.WriteAsync(context, response, request?.IsHead ?? false, cancellationToken);
    }

    private static SimResponse CannedResponse(FaultRule rule)
    {
        var response = SimResponse.Canned(rule.Status, rule.Body);
        foreach (var (name, value) in rule.Headers)
        {
            response.WithHeader(name, value);
        }

        return response;
    }

    /// <summary>Adds x-request-id and the client request id echo, unless the response already sets them (a canned fault may).</summary>
    private void AddCommonHeaders(HttpContext context, SimRequest? request, SimResponse response)
    {
        if (!response.Headers.Any(h => h.Name.Equals("x-request-id", StringComparison.OrdinalIgnoreCase)))
        {
            response.Headers.Insert(0, ("x-request-id", "req_" + random.NextHex(8)));
        }

        var clientRequestId = request?.Header("X-Client-Request-Id");
        if (clientRequestId is not null && IsEchoable(clientRequestId)
            && !response.Headers.Any(h => h.Name.Equals("X-Client-Request-Id", StringComparison.OrdinalIgnoreCase)))
        {
            response.Headers.Add(("X-Client-Request-Id", clientRequestId));
        }
    }

    // The contract allows printable ASCII up to 512 characters; anything else could not be sent back as a header.
    private static bool IsEchoable(string value) =>
        value.Length is > 0 and <= 512 && value.All(c => c is >= ' ' and <= '~');

    private async Task<SimRequest> ReadRequestAsync(HttpContext context, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, cancellationToken);
        return BuildRequest(context, buffer.ToArray());
    }

    /// <summary>What is known of a request whose body could not be read (client gone, body too large).</summary>
    private SimRequest PartialRequest(HttpContext context) => BuildRequest(context, []);

    private SimRequest BuildRequest(HttpContext context, byte[] body)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in context.Request.Headers)
        {
            headers[header.Key] = header.Value.ToString();
        }

        return new SimRequest
        {
            Method = context.Request.Method,
            Path = context.Request.Path.Value ?? "/",
            QueryString = context.Request.QueryString.Value ?? "",
            OnFilesOrigin = isFilesPort(context.Connection.LocalPort),
            Headers = headers,
            Body = body,
        };
    }

    /// <summary>Builds the one <see cref="RecordedRequest"/> for a request, the first time its outcome is known.</summary>
    private sealed class Recorder(RequestLog log, long sequence, DateTimeOffset receivedAt, TimeProvider time)
    {
        private int _recorded;

        public SimRequest? Request { get; set; }

        public RecordedRequest? Recorded { get; private set; }

        public void Record(int statusCode, string? requestId)
        {
            if (Interlocked.Exchange(ref _recorded, 1) == 1 || Request is not { } request)
            {
                return;
            }

            Recorded = new RecordedRequest(
                request.Method,
                request.Path,
                request.QueryString,
                request.OnFilesOrigin,
                request.Header("Authorization"),
                request.Header("Idempotency-Key"),
                request.Header("X-Client-Request-Id"),
                request.Header("User-Agent"),
                Encoding.UTF8.GetString(request.Body),
                statusCode,
                string.IsNullOrEmpty(requestId) ? null : requestId,
                receivedAt,
                time.GetUtcNow(),
                request.Headers);
            log.Add(sequence, Recorded);
        }
    }
}
