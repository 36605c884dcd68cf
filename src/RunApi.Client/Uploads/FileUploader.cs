using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using RunApi.Client.Configuration;
using RunApi.Client.Downloads;
using RunApi.Client.Errors;
using RunApi.Client.Http;
using RunApi.Client.Models;

namespace RunApi.Client.Uploads
{
    /// <summary>
    /// Uploads a local image through the direct-upload flow of the Files API: prepare on the API,
    /// PUT the bytes to the returned upload URL (another host: no key, no retry), confirm on the API.
    /// </summary>
    internal sealed class FileUploader
    {
        private readonly RunApiClient _client;
        private readonly RunApiClientOptions _options;

        public FileUploader(RunApiClient client, RunApiClientOptions options)
        {
            _client = client;
            _options = options;
        }


        /// <summary>
        /// Why a local file cannot be a source image, or null when it can: its name must say PNG, JPEG, WebP or GIF and
        /// its first bytes must be one of them (a text file named .png is refused before any money is spent).
        /// </summary>
        public static string? ProblemWith(string path) => Sniff(path, out _);

        /// <summary>
        /// Reads the file's first bytes once: the problem (as <see cref="ProblemWith"/>), or null and the content type
        /// its bytes say (a JPEG named .png is sent as the JPEG it is).
        /// </summary>
        private static string? Sniff(string path, out string contentType)
        {
            contentType = string.Empty;
            if (!ImageFormat.HasImageExtension(path)) return "it is not a .png, .jpg, .jpeg, .webp or .gif file";
            var head = new byte[ImageFormat.HeadLength];
            int read;
            try
            {
                using var stream = File.OpenRead(path);
                read = stream.Read(head, 0, head.Length);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return "it cannot be read: " + ex.Message;
            }
            if (ImageFormat.FromSignature(head, read) is not { } extension)
            {
                return $"it is not an image: its content begins '{ImageFormat.Describe(head, read)}', not like a PNG, JPEG, WebP or GIF";
            }
            contentType = ImageFormat.MediaTypes[extension];
            return null;
        }

        public async Task<UploadedFile> UploadAsync(string path, CancellationToken cancellationToken)
        {
            var file = new FileInfo(path);
            if (!file.Exists) throw new FileNotFoundException($"The source image '{path}' does not exist.", path);
            var problem = Sniff(file.FullName, out var contentType);
            if (problem is not null)
            {
                throw new RunApiException(RunApiErrorKind.Validation, $"The source image '{path}' cannot be used: {problem}.") { Field = "source_image_urls" };
            }

            var prepareBody = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
            {
                ["filename"] = file.Name,
                ["byte_size"] = file.Length,
                ["checksum"] = Md5Base64(file.FullName),
                ["content_type"] = contentType,
            });
            var prepared = await _client.SendAsync<PreparedUpload>(HttpMethod.Post, "/api/v1/files/prepare", prepareBody, null, null, cancellationToken).ConfigureAwait(false);
            await PutAsync(prepared, file, cancellationToken).ConfigureAwait(false);

            var confirmBody = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["signed_id"] = prepared.SignedId });
            return await _client.SendAsync<UploadedFile>(HttpMethod.Post, "/api/v1/files/confirm", confirmBody, null, null, cancellationToken).ConfigureAwait(false);
        }

        private async Task PutAsync(PreparedUpload prepared, FileInfo file, CancellationToken cancellationToken)
        {
            if (!Uri.TryCreate(prepared.UploadUrl, UriKind.Absolute, out var target) || !RunApiSettings.IsSecureOrLoopback(target))
            {
                throw new RunApiException(RunApiErrorKind.InvalidResponse,
                    "RunAPI returned an upload URL that is not an absolute https URL; the file was not sent.");
            }

            var time = _options.TimeProvider;
            var started = time.GetTimestamp();
            var rules = new AttemptRules($"Uploading '{file.Name}' to {target.GetLeftPart(UriPartial.Authority)}", _options.DownloadTimeout, time, _client.Settings.ApiKey, proxy: _options.Proxy);
            using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            // The upload host is not the API: this request goes through the client that never carries the key, and
            // follows no redirect (a redirect could send the bytes to plain http).
            using var attempt = await HttpAttempt.SendAsync(SharedHttpClients.Downloads(_options.Proxy), target, uri => Put(uri, stream, prepared), rules, cancellationToken).ConfigureAwait(false);
            _options.Observer?.Invoke(new HttpExchange("PUT", target.GetLeftPart(UriPartial.Path), attempt.Status, null, time.GetElapsedTime(started), null, null, null));
            if (attempt.Status < 200 || attempt.Status >= 300)
            {
                var body = _client.Settings.ApiKey.Redact(await attempt.ReadTextAsync(64 * 1024).ConfigureAwait(false));
                throw ErrorResponses.Create(attempt.Status, body, null, attempt.Response.Headers.RetryAfter, time.GetUtcNow(), null, rules.What);
            }
        }

        private static HttpRequestMessage Put(Uri uri, Stream stream, PreparedUpload prepared)
        {
            var request = new HttpRequestMessage(HttpMethod.Put, uri) { Content = new StreamContent(stream) };
            foreach (var header in prepared.Headers ?? new Dictionary<string, string>())
            {
                if (!request.Content.Headers.TryAddWithoutValidation(header.Key, header.Value))
                {
                    request.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }
            return request;
        }

        private static string Md5Base64(string path)
        {
            using var md5 = MD5.Create();
            using var stream = File.OpenRead(path);
            return Convert.ToBase64String(md5.ComputeHash(stream));
        }
    }
}
