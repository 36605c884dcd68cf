using System;
using System.Buffers;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using RunApi.Client.Configuration;
using RunApi.Client.Downloads;
using RunApi.Client.Errors;

namespace RunApi.Client.Http
{
    /// <summary>
    /// One HTTP attempt, the only way the module sends a request (API calls, image downloads, uploads), so each rule
    /// is written once: a timeout for the attempt linked to the caller's cancellation, redirects followed only when
    /// allowed and only to https (or loopback) hop by hop, header values read with the key masked, bodies read with a
    /// cap, and every failure classified the same way (the caller cancelling passes through; the network and the
    /// timeout become <see cref="RunApiException"/>s; a local file that cannot be written is not the network).
    /// </summary>
    internal sealed class HttpAttempt : IDisposable
    {
        private const int ChunkSize = 81920;

        private readonly AttemptRules _rules;
        private readonly CancellationToken _caller;
        private readonly CancellationTokenSource _timeout;
        private readonly CancellationTokenSource _linked;
        private HttpResponseMessage? _response;

        private HttpAttempt(AttemptRules rules, CancellationToken caller)
        {
            _rules = rules;
            _caller = caller;
            _timeout = rules.Time.CreateCancellationTokenSource(rules.Timeout);
            _linked = CancellationTokenSource.CreateLinkedTokenSource(caller, _timeout.Token);
        }

        public HttpResponseMessage Response => _response ?? throw new InvalidOperationException("No response yet.");
        public int Status => (int)Response.StatusCode;

        /// <summary>Where the response came from, after any redirects.</summary>
        public Uri Uri { get; private set; } = null!;

        /// <summary>Sends <paramref name="build"/>'s request (built again for each redirect hop) and waits for the headers.</summary>
        public static async Task<HttpAttempt> SendAsync(HttpClient client, Uri uri, Func<Uri, HttpRequestMessage> build,
            AttemptRules rules, CancellationToken cancellationToken)
        {
            var attempt = new HttpAttempt(rules, cancellationToken);
            try
            {
                await attempt.SendFollowingAsync(client, uri, build).ConfigureAwait(false);
                return attempt;
            }
            catch
            {
                attempt.Dispose();
                throw;
            }
        }

        private async Task SendFollowingAsync(HttpClient client, Uri uri, Func<Uri, HttpRequestMessage> build)
        {
            for (var hop = 0; ; hop++)
            {
                HttpResponseMessage response;
                using (var request = build(uri))
                {
                    try
                    {
                        response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _linked.Token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (IsTransportFailure(ex))
                    {
                        throw Failure(ex);
                    }
                }
                var status = (int)response.StatusCode;
                if (ProxyRefusal(response, uri) is { } refused)
                {
                    response.Dispose();
                    throw refused;
                }
                if (_rules.MaxRedirects == 0 || status < 300 || status > 399 || status == 304)
                {
                    _response = response;
                    Uri = uri;
                    return;
                }
                var location = response.Headers.Location;
                response.Dispose();
                uri = NextHop(uri, location, hop);
            }
        }

        /// <summary>
        /// A proxy that refused the request: 407 or a Proxy-Authenticate header, or (tinyproxy's way with wrong
        /// credentials) a 401 or 403 to an API request that is not the API's own JSON, while a proxy is in use. Named as
        /// the proxy's, never as a bad API key, and not retried.
        /// </summary>
        private RunApiException? ProxyRefusal(HttpResponseMessage response, Uri destination)
        {
            var status = (int)response.StatusCode;
            if (status != 407 && status != 401 && status != 403) return null;
            var proxy = ChosenProxy.AddressFor(_rules.Proxy.Choose(), destination);
            if (proxy is null) return null;
            var fromProxy = status == 407 || response.Headers.ProxyAuthenticate.Count > 0 ||
                            (_rules.ToApi && !(response.Content.Headers.ContentType?.MediaType ?? string.Empty).EndsWith("json", StringComparison.OrdinalIgnoreCase));
            if (!fromProxy) return null;
            var address = proxy.GetLeftPart(UriPartial.Authority);
            return new RunApiException(RunApiErrorKind.ProxyAuthentication,
                $"The proxy {address} refused {_rules.What} (HTTP {status}{(status == 407 ? " Proxy Authentication Required" : string.Empty)}): " +
                "it asks for other credentials. Nothing reached RunAPI.")
            { StatusCode = status };
        }

        /// <summary>A redirect is followed only to an absolute https URL (http for loopback), never from https to http.</summary>
        private Uri NextHop(Uri from, Uri? location, int hop)
        {
            if (location is null) throw Refused($"{_rules.What} was redirected without a Location.");
            var to = location.IsAbsoluteUri ? location : new Uri(from, location);
            var downgrade = from.Scheme == Uri.UriSchemeHttps && to.Scheme != Uri.UriSchemeHttps;
            if (downgrade || !RunApiSettings.IsSecureOrLoopback(to))
            {
                throw Refused($"{_rules.What} was redirected to '{_rules.Redact(to.GetLeftPart(UriPartial.Path))}', which is not https; the redirect was not followed.");
            }
            if (hop + 1 > _rules.MaxRedirects) throw Refused($"{_rules.What} was redirected more than {_rules.MaxRedirects} times.");
            return to;
        }

        /// <summary>The first value of a response header, with the key masked.</summary>
        public string? Header(string name)
        {
            var headers = Response.Headers;
            var value = headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
            return value is null ? null : _rules.Redact(value);
        }

        /// <summary>The body as UTF-8 text, refused once it passes <paramref name="maxBytes"/> (nothing more is read).</summary>
        public async Task<string> ReadTextAsync(long maxBytes)
        {
            var announced = Response.Content.Headers.ContentLength;
            if (announced > maxBytes) throw TooLarge(maxBytes);
            using var body = new MemoryStream();
            await CopyAsync(body, maxBytes, null, writeFailure: null).ConfigureAwait(false);
            var bytes = body.GetBuffer();
            var length = (int)body.Length;
            var skip = length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            return Encoding.UTF8.GetString(bytes, skip, length - skip);
        }

        /// <summary>
        /// Streams the body into <paramref name="output"/>, refused once it passes <paramref name="maxBytes"/>. A failure
        /// to read is the network's; a failure to write is <paramref name="writeFailure"/>'s (a local file's), never retried.
        /// </summary>
        public async Task<long> CopyAsync(Stream output, long maxBytes, Action<byte[], int>? observe,
            Func<Exception, Exception>? writeFailure)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
            // Some streams ignore the token once a read is pending (.NET Framework): disposing the response ends it.
            using var abort = _linked.Token.Register(() => _response?.Dispose());
            try
            {
                Stream input;
                try
                {
                    input = await Response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (IsTransportFailure(ex))
                {
                    throw Failure(ex);
                }
                // The caller's deadline or Ctrl+C can dispose the response just as the body is asked for.
                catch (Exception ex) when (CancelledByCaller(ex))
                {
                    throw new OperationCanceledException(_caller);
                }
                using (input)
                {
                    long total = 0;
                    while (true)
                    {
                        int read;
                        try
                        {
                            read = await input.ReadAsync(buffer, 0, ChunkSize, _linked.Token).ConfigureAwait(false);
                        }
                        catch (Exception ex) when (IsTransportFailure(ex))
                        {
                            throw Failure(ex);
                        }
                        catch (Exception ex) when (CancelledByCaller(ex))
                        {
                            throw new OperationCanceledException(_caller);
                        }
                        if (read == 0) break;
                        total += read;
                        if (total > maxBytes) throw TooLarge(maxBytes);
                        observe?.Invoke(buffer, read);
                        try
                        {
                            await output.WriteAsync(buffer, 0, read, _linked.Token).ConfigureAwait(false);
                        }
                        catch (Exception ex) when (writeFailure is not null && LocalFiles.IsWriteFailure(ex))
                        {
                            throw writeFailure!(ex);
                        }
                    }
                    return total;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        /// <summary>
        /// The read or send that the caller's cancellation broke (on .NET Framework by disposing the response, which
        /// surfaces as a disposed or I/O error): reported as the cancellation it is.
        /// </summary>
        private bool CancelledByCaller(Exception ex) => _caller.IsCancellationRequested && !(ex is OperationCanceledException);

        /// <summary>An exception of the attempt itself: the caller's own cancellation is not one and passes through.</summary>
        private bool IsTransportFailure(Exception ex) =>
            !_caller.IsCancellationRequested &&
            (ex is HttpRequestException || ex is OperationCanceledException || ex is IOException || ex is ObjectDisposedException);

        private RunApiException Failure(Exception ex) =>
            _timeout.IsCancellationRequested
                ? new RunApiException(RunApiErrorKind.Timeout,
                    $"{_rules.What} did not finish within {_rules.Timeout.TotalSeconds:0.#} s.", ex)
                : new RunApiException(RunApiErrorKind.Network,
                    $"{_rules.What} failed before a complete answer arrived: {_rules.Redact(RootMessage(ex))}", ex);

        /// <summary>The innermost exception's message: it names the actual cause (refused, reset, name not found...).</summary>
        private static string RootMessage(Exception ex)
        {
            while (ex.InnerException is not null) ex = ex.InnerException;
            return ex.Message;
        }

        /// <summary>The body is over its cap: not a transient failure, since trying again would bring the same bytes.</summary>
        public RunApiException TooLarge(long maxBytes) =>
            new RunApiException(RunApiErrorKind.InvalidResponse,
                $"{_rules.What} sent more than {Describe(maxBytes)}, so it was refused.")
            { StatusCode = _response is null ? (int?)null : Status };

        private static RunApiException Refused(string message) => new RunApiException(RunApiErrorKind.InvalidResponse, message);

        private static string Describe(long bytes) =>
            bytes >= 1 << 20 ? $"{bytes / (double)(1 << 20):0.#} MB" : $"{bytes / 1024.0:0.#} KB";

        public void Dispose()
        {
            _response?.Dispose();
            _linked.Dispose();
            _timeout.Dispose();
        }
    }
}
