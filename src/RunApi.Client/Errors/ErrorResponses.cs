using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http.Headers;
using System.Text.Json;

namespace RunApi.Client.Errors
{
    /// <summary>Turns a non-2xx response into a <see cref="RunApiException"/>: the kind from the status, the message and field errors from the body, as the SDKs read them.</summary>
    internal static class ErrorResponses
    {
        public static RunApiErrorKind KindFor(int status)
        {
            switch (status)
            {
                case 400:
                case 413:
                case 422: return RunApiErrorKind.Validation;
                case 401: return RunApiErrorKind.Authentication;
                case 402: return RunApiErrorKind.InsufficientCredits;
                case 404: return RunApiErrorKind.NotFound;
                case 408: return RunApiErrorKind.Timeout;
                case 409: return RunApiErrorKind.Conflict;
                case 429: return RunApiErrorKind.RateLimited;
                case 503: return RunApiErrorKind.ServiceUnavailable;
                default: return status >= 500 ? RunApiErrorKind.Server : RunApiErrorKind.RequestFailed;
            }
        }

        public static string DefaultMessageFor(int status)
        {
            switch (status)
            {
                case 400: return "Bad request";
                case 401: return "Unauthorized";
                case 402: return "Insufficient credits";
                case 404: return "Not found";
                case 408: return "Request timeout";
                case 409: return "Conflict";
                case 413: return "Payload too large";
                case 415: return "Unsupported media type";
                case 422: return "Validation failed";
                case 429: return "Too many requests";
                case 503: return "Service unavailable";
                default: return status >= 500 ? "Server error" : "Request failed";
            }
        }

        /// <param name="body">The response body, already redacted.</param>
        /// <param name="what">What was asked, for answers from elsewhere than the API (a download, an upload).</param>
        public static RunApiException Create(int status, string? body, string? requestId, RetryConditionHeaderValue? retryAfter,
            DateTimeOffset now, string? taskId, string? what = null)
        {
            var parsed = ParsedErrorBody.Parse(body);
            var serviceMessage = parsed.Message ?? DefaultMessageFor(status);
            var detail = parsed.FieldErrors.Count == 0
                ? serviceMessage
                : serviceMessage + ": " + string.Join("; ", parsed.FieldErrors.Select(f => f.Key + " " + string.Join(", ", f.Value)));
            var context = "HTTP " + status.ToString(CultureInfo.InvariantCulture) +
                          (taskId is null ? string.Empty : ", task " + taskId) +
                          (requestId is null ? string.Empty : ", request id " + requestId);

            return new RunApiException(KindFor(status), $"{(what is null ? string.Empty : what + ": ")}{detail} ({context}).")
            {
                StatusCode = status,
                Code = parsed.Code,
                RequestId = requestId,
                ServiceMessage = serviceMessage,
                FieldErrors = parsed.FieldErrors,
                RetryAfter = RetryAfterDelay(retryAfter, now),
                TaskId = taskId,
                ResponseBody = body,
            };
        }

        /// <summary>
        /// Retry-After as a delay from now: seconds, or an HTTP date. A date that is not in the future says nothing
        /// usable (a wrong clock, a stale cache): null, so the retry backs off as if no hint had come.
        /// </summary>
        public static TimeSpan? RetryAfterDelay(RetryConditionHeaderValue? header, DateTimeOffset now)
        {
            if (header is null) return null;
            if (header.Delta.HasValue) return header.Delta.Value;
            if (header.Date.HasValue)
            {
                var delay = header.Date.Value - now;
                return delay > TimeSpan.Zero ? delay : (TimeSpan?)null;
            }
            return null;
        }

        /// <summary>What an error body says, read in the order of the newest Go and JS SDKs.</summary>
        private sealed class ParsedErrorBody
        {
            private static readonly string[] MessageFields = { "message", "detail", "errorMessage", "msg" };

            public string? Message { get; private set; }
            public string? Code { get; private set; }
            public IReadOnlyDictionary<string, IReadOnlyList<string>> FieldErrors { get; private set; } =
                new Dictionary<string, IReadOnlyList<string>>();

            public static ParsedErrorBody Parse(string? body)
            {
                var result = new ParsedErrorBody();
                var trimmed = (body ?? string.Empty).TrimStart();
                // HTML error pages (proxies, gateways) carry nothing useful: the status default is used.
                if (!trimmed.StartsWith("{", StringComparison.Ordinal)) return result;
                try
                {
                    using var document = JsonDocument.Parse(trimmed);
                    var root = document.RootElement;
                    if (root.ValueKind != JsonValueKind.Object) return result;
                    result.Read(root);
                }
                catch (JsonException)
                {
                    // Malformed JSON: keep the status default; the raw body stays on the exception.
                }
                return result;
            }

            private void Read(JsonElement root)
            {
                if (root.TryGetProperty("error", out var error))
                {
                    if (error.ValueKind == JsonValueKind.Object)
                    {
                        Message = NonBlankString(error, "message");
                        Code = NonBlankString(error, "code");
                    }
                    else if (error.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(error.GetString()))
                    {
                        Message = error.GetString();
                    }
                }
                if (Message is null)
                {
                    Message = MessageFields.Select(f => NonBlankString(root, f)).FirstOrDefault(m => m is not null);
                }
                if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
                {
                    FieldErrors = errors.EnumerateObject().ToDictionary(
                        p => p.Name,
                        p => (IReadOnlyList<string>)(p.Value.ValueKind == JsonValueKind.Array
                            ? p.Value.EnumerateArray().Select(v => v.ToString()).ToList()
                            : new List<string> { p.Value.ToString() }));
                }
            }

            private static string? NonBlankString(JsonElement element, string name) =>
                element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String &&
                !string.IsNullOrWhiteSpace(value.GetString())
                    ? value.GetString()
                    : null;
        }
    }
}
