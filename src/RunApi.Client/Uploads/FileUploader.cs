using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using RunApi.Client.Configuration;
using RunApi.Client.Errors;
using RunApi.Client.Http;
using RunApi.Client.Models;

namespace RunApi.Client.Uploads
{
    /// <summary>
    /// Uploads a local image through the direct-upload flow of the Files API (contract §2.1): prepare on the API,
    /// PUT the bytes to the returned upload URL (another host: no key, no retry), confirm on the API.
    /// </summary>
    internal sealed class FileUploader
    {
        private static readonly IReadOnlyDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [".png"] = "image/png",
            [".jpg"] = "image/jpeg",
            [".jpeg"] = "image/jpeg",
            [".webp"] = "image/webp",
            [".gif"] = "image/gif",
        };

        private readonly RunApiClient _client;
        private readonly RunApiClientOptions _options;

        public FileUploader(RunApiClient client, RunApiClientOptions options)
        {
            _client = client;
            _options = options;
        }

        public static bool IsSupportedImage(string path) => ContentTypes.ContainsKey(Path.GetExtension(path));

        public async Task<UploadedFile> UploadAsync(string path, CancellationToken cancellationToken)
        {
            var file = new FileInfo(path);
            if (!file.Exists) throw new FileNotFoundException($"The source image '{path}' does not exist.", path);
            if (!ContentTypes.TryGetValue(file.Extension, out var contentType))
            {
                throw new RunApiException(RunApiErrorKind.Validation,
                    $"The source image '{path}' is not a PNG, JPEG, WebP or GIF file (judged by its extension).") { Field = "source_image_urls" };
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
            using var timeout = time.CreateCancellationTokenSource(_options.DownloadTimeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            // The upload host is not the API: this request goes through the client that never carries the key.
            using var request = new HttpRequestMessage(HttpMethod.Put, target) { Content = new StreamContent(stream) };
            foreach (var header in prepared.Headers ?? new Dictionary<string, string>())
            {
                if (!request.Content.Headers.TryAddWithoutValidation(header.Key, header.Value))
                {
                    request.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }
            try
            {
                using var response = await SharedHttpClients.Downloads.SendAsync(request, linked.Token).ConfigureAwait(false);
                _options.Observer?.Invoke(new HttpExchange("PUT", target.GetLeftPart(UriPartial.Path), (int)response.StatusCode, null, time.GetElapsedTime(started), null, null, null));
                if (!response.IsSuccessStatusCode)
                {
                    var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    throw ErrorResponses.Create((int)response.StatusCode, body, null, response.Headers.RetryAfter, time.GetUtcNow(), null);
                }
            }
            catch (Exception ex) when (ex.IsTransportFailure(cancellationToken))
            {
                throw new RunApiException(timeout.IsCancellationRequested ? RunApiErrorKind.Timeout : RunApiErrorKind.Network,
                    $"Uploading '{file.Name}' failed: {ex.RootMessage()}", ex);
            }
        }

        private static string Md5Base64(string path)
        {
            using var md5 = MD5.Create();
            using var stream = File.OpenRead(path);
            return Convert.ToBase64String(md5.ComputeHash(stream));
        }
    }
}
