using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using RunApi.Client.Configuration;
using RunApi.Client.Errors;
using RunApi.Client.Http;

namespace RunApi.Client.Downloads
{
    /// <summary>
    /// Streams images to disk. The body goes to a temporary file beside the target and gets its final name only when
    /// it is whole: of the announced length, no larger than the cap, and an image of a known format from its first
    /// byte to its end marker. So no half-written file, and nothing that is not an image, ever stands under a final
    /// name. Sends no API key. A file that cannot be written is reported once, naming it; it is not retried.
    /// </summary>
    internal sealed class ImageDownloader
    {
        // As many as a CDN needs; each hop is checked.
        private const int MaxRedirects = 5;

        private readonly RunApiClientOptions _options;
        private readonly RetryingExecutor _retrying;

        public ImageDownloader(RunApiClientOptions? options = null)
        {
            _options = options ?? new RunApiClientOptions();
            _retrying = new RetryingExecutor(_options);
        }

        public Task<DownloadedImage> DownloadAsync(Uri source, DownloadTarget target, CancellationToken cancellationToken = default)
        {
            if (source is null) throw new ArgumentNullException(nameof(source));
            if (!RunApiSettings.IsSecureOrLoopback(source))
            {
                throw new RunApiException(RunApiErrorKind.Validation,
                    $"Refusing to download '{source.GetLeftPart(UriPartial.Path)}': image URLs must be absolute https URLs (http only for loopback).")
                { Field = "url" };
            }
            if (target.FileName is not null) ThrowIfTaken(target.FinalPath(string.Empty), target.Overwrite);
            try
            {
                Directory.CreateDirectory(target.Directory);
            }
            catch (Exception ex) when (LocalFiles.IsWriteFailure(ex))
            {
                throw LocalFiles.FolderFailed(target.Directory, ex);
            }

            // One deadline for the whole download, every attempt and wait included: a slow drip cannot hold a place longer.
            return _retrying.ExecuteAsync("GET", source.GetLeftPart(UriPartial.Path), retrySafe: true, _options.DownloadTimeout,
                token => AttemptAsync(source, target, token), cancellationToken);
        }

        /// <summary>One try: a fresh temporary file, named only when whole; deleted whatever happens otherwise.</summary>
        private async Task<DownloadedImage> AttemptAsync(Uri source, DownloadTarget target, CancellationToken cancellationToken)
        {
            var time = _options.TimeProvider;
            var what = "The download of " + source.GetLeftPart(UriPartial.Path);
            var rules = new AttemptRules(what, _options.DownloadTimeout, time, key: null, MaxRedirects, _options.Proxy);
            var started = time.GetTimestamp();
            var temporary = LocalFiles.TemporaryIn(target.Directory);
            // How messages name the file before its extension is known.
            var shown = target.FinalPath(string.Empty);
            int? status = null;
            try
            {
                using var attempt = await HttpAttempt.SendAsync(SharedHttpClients.Downloads(_options.Proxy), source, uri => Get(uri), rules, cancellationToken).ConfigureAwait(false);
                status = attempt.Status;
                if (status < 200 || status >= 300)
                {
                    var body = await attempt.ReadTextAsync(MaxErrorBodyBytes).ConfigureAwait(false);
                    throw ErrorResponses.Create(status.Value, body, null, attempt.Response.Headers.RetryAfter, time.GetUtcNow(), null, what);
                }
                var expected = attempt.Response.Content.Headers.ContentLength;
                if (expected > _options.MaxImageBytes) throw OverLimit(attempt.TooLarge(_options.MaxImageBytes));

                var ends = new Ends();
                long written;
                try
                {
                    // No FileStream buffer of its own: the copy writes whole pooled chunks, so a second buffer would
                    // only add 80 KB of garbage per image for the collector to chase.
                    using var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, useAsync: true);
                    using var output = target.Metadata is null ? (Stream)file : new EmbeddingStream(file, target.Metadata);
                    written = await attempt.CopyAsync(output, _options.MaxImageBytes, ends.Observe, ex => LocalFiles.WriteFailed(shown, ex)).ConfigureAwait(false);
                    await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (RunApiException error) when (error.Kind == RunApiErrorKind.InvalidResponse)
                {
                    throw OverLimit(error);
                }
                catch (Exception ex) when (LocalFiles.IsWriteFailure(ex) && !cancellationToken.IsCancellationRequested)
                {
                    throw LocalFiles.WriteFailed(shown, ex);
                }
                if (expected.HasValue && written != expected.Value)
                {
                    throw new RunApiException(RunApiErrorKind.Network, $"{what} was cut short: {written} of {expected.Value} bytes arrived.");
                }

                var extension = ends.CheckImage(what, written);
                var final = Publish(temporary, target, extension, source.AbsoluteUri);
                Report(source, status, time.GetElapsedTime(started), null);
                return new DownloadedImage(source, final, written, attempt.Response.Content.Headers.ContentType?.MediaType);
            }
            catch (RunApiException failure)
            {
                Report(source, status, time.GetElapsedTime(started), failure.Message);
                throw;
            }
            finally
            {
                LocalFiles.TryDelete(temporary);
            }
        }

        private const long MaxErrorBodyBytes = 64 * 1024;

        private static RunApiException OverLimit(RunApiException error)
        {
            error.ImageOverSizeLimit = true;
            return error;
        }

        private HttpRequestMessage Get(Uri uri)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
            return request;
        }

        private const int MaxSuffix = 1000;

        /// <summary>Gives the finished file its name and returns it; with claims, the first name free for this image.</summary>
        private static string Publish(string temporary, DownloadTarget target, string extension, string owner)
        {
            for (var n = 1; ; n++)
            {
                var final = target.Candidate(extension, n);
                if (target.Claims is { } claims && !claims.TryClaim(final, owner))
                {
                    if (n < MaxSuffix) continue;
                    throw new DestinationExistsException(final); // never over a name another image of the call has
                }
                try
                {
                    if (target.Overwrite) LocalFiles.Replace(temporary, final);
                    else LocalFiles.MoveNoReplace(temporary, final);
                    return final;
                }
                catch (DestinationExistsException) when (target.Claims is not null && n < MaxSuffix)
                {
                    // A file of an earlier run, or another process's: this image takes the next name.
                }
                catch (Exception ex) when (LocalFiles.IsWriteFailure(ex))
                {
                    throw LocalFiles.WriteFailed(final, ex);
                }
            }
        }

        private static void ThrowIfTaken(string path, bool overwrite)
        {
            if (!overwrite && (File.Exists(path) || Directory.Exists(path))) throw new DestinationExistsException(path);
        }

        private void Report(Uri source, int? status, TimeSpan elapsed, string? failure) =>
            _options.Observer?.Invoke(new HttpExchange("GET", source.GetLeftPart(UriPartial.Path), status, null, elapsed, null, null, failure));

        /// <summary>The first and last bytes of a body as it streams by: what says which image it is and that it is whole.</summary>
        private sealed class Ends
        {
            private readonly byte[] _head = new byte[ImageFormat.HeadLength];
            private readonly byte[] _tail = new byte[ImageFormat.TailLength];
            private int _headLength;
            private int _tailLength;

            public void Observe(byte[] chunk, int count)
            {
                if (_headLength < _head.Length)
                {
                    var take = Math.Min(_head.Length - _headLength, count);
                    Buffer.BlockCopy(chunk, 0, _head, _headLength, take);
                    _headLength += take;
                }
                if (count >= _tail.Length)
                {
                    Buffer.BlockCopy(chunk, count - _tail.Length, _tail, 0, _tail.Length);
                    _tailLength = _tail.Length;
                    return;
                }
                var keep = Math.Min(_tailLength, _tail.Length - count);
                Buffer.BlockCopy(_tail, _tailLength - keep, _tail, 0, keep);
                Buffer.BlockCopy(chunk, 0, _tail, keep, count);
                _tailLength = keep + count;
            }

            /// <summary>The image's extension; throws when the body is not an image, or one that stops before its end.</summary>
            public string CheckImage(string what, long total)
            {
                var extension = ImageFormat.FromSignature(_head, _headLength);
                if (extension is null)
                {
                    throw new RunApiException(RunApiErrorKind.InvalidResponse,
                        $"{what} is not a PNG, JPEG, WebP or GIF image (it begins '{ImageFormat.Describe(_head, _headLength)}'), so it was not saved.");
                }
                if (!ImageFormat.EndsWhole(extension, _head, _tail, _tailLength, total))
                {
                    // Most likely a connection closed early on a body sent without a Content-Length: worth another try.
                    throw new RunApiException(RunApiErrorKind.Network,
                        $"{what} ended before the image did ({total} bytes, no {extension.TrimStart('.').ToUpperInvariant()} end marker), so it was not saved.");
                }
                return extension;
            }
        }
    }
}
