using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace RunApi.Bench.Worker
{
    /// <summary>
    /// The three HTTP calls of the baseline, made the way the official SDKs make them (contract §1, §2): one plain
    /// HttpClient, Bearer key, Accept/Content-Type JSON, no Idempotency-Key on the Imagen create (Go, Python, Ruby).
    /// Written with a raw HttpClient on purpose: it shares nothing with the client core it is compared to.
    /// </summary>
    internal sealed class BaselineHttp : IDisposable
    {
        private const string CreatePath = "/api/v1/imagen_4/text_to_image";
        private readonly HttpClient _http;
        private readonly Uri _baseUri;
        private readonly string _key;

        public BaselineHttp(Uri baseUri, string key)
        {
            _baseUri = baseUri;
            _key = key;
            // The SDKs' request timeout is 15 min (contract §4.3).
            _http = new HttpClient(new SocketsHttpHandler()) { Timeout = TimeSpan.FromMinutes(15) };
        }

        /// <summary>POST the create; returns the task id.</summary>
        public async Task<string> CreateAsync(string model, string prompt, CancellationToken cancellationToken)
        {
            var body = JsonSerializer.Serialize(new Dictionary<string, string> { ["model"] = model, ["prompt"] = prompt });
            using var json = await SendForJsonAsync(() =>
            {
                var request = ApiRequest(HttpMethod.Post, CreatePath);
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                return request;
            }, cancellationToken);
            return json.RootElement.GetProperty("id").GetString() ?? throw new InvalidDataException("The create response has no id.");
        }

        /// <summary>GET the task; returns its status and, once completed, its image URLs.</summary>
        public async Task<(string Status, IReadOnlyList<string> ImageUrls)> GetAsync(string taskId, CancellationToken cancellationToken)
        {
            using var json = await SendForJsonAsync(() => ApiRequest(HttpMethod.Get, CreatePath + "/" + taskId), cancellationToken);
            var root = json.RootElement;
            var urls = new List<string>();
            if (root.TryGetProperty("images", out var images) && images.ValueKind == JsonValueKind.Array)
            {
                foreach (var image in images.EnumerateArray()) urls.Add(image.GetProperty("url").GetString() ?? "");
            }
            return (root.GetProperty("status").GetString() ?? "", urls);
        }

        /// <summary>GET an image (no key: image hosts never get it) and stream it to <paramref name="path"/>; returns its length.</summary>
        public async Task<long> DownloadAsync(string url, string path, CancellationToken cancellationToken)
        {
            using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            await response.Content.CopyToAsync(file, cancellationToken);
            return file.Length;
        }

        public void Dispose() => _http.Dispose();

        private HttpRequestMessage ApiRequest(HttpMethod method, string path)
        {
            var request = new HttpRequestMessage(method, new Uri(_baseUri, path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _key);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Headers.TryAddWithoutValidation("User-Agent", "runapi-bench-baseline/1 (behaves like runapi-sdk run())");
            return request;
        }

        /// <summary>The SDKs' handling of a 429: wait its Retry-After and send again, twice; then the call fails.</summary>
        private const int RetriesOf429 = 2;

        private async Task<JsonDocument> SendForJsonAsync(Func<HttpRequestMessage> build, CancellationToken cancellationToken)
        {
            for (var attempt = 0; ; attempt++)
            {
                using var request = build();
                using var response = await _http.SendAsync(request, cancellationToken);
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                if ((int)response.StatusCode == 429 && attempt < RetriesOf429)
                {
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), cancellationToken);
                    continue;
                }
                if (!response.IsSuccessStatusCode)
                {
                    throw new HttpRequestException($"{request.Method} {request.RequestUri!.AbsolutePath} answered {(int)response.StatusCode}: {text}");
                }
                return JsonDocument.Parse(text);
            }
        }
    }
}
