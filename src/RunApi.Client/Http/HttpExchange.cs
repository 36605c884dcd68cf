using System;

namespace RunApi.Client.Http
{
    /// <summary>
    /// One finished HTTP exchange, reported to the caller's observer (the cmdlets turn it into -Verbose and -Debug
    /// lines). Bodies are present only when asked for, with the key masked and long base64 runs shortened.
    /// </summary>
    internal sealed class HttpExchange
    {
        public HttpExchange(string method, string path, int? statusCode, string? requestId, TimeSpan elapsed,
            string? requestBody, string? responseBody, string? failure)
        {
            Method = method;
            Path = path;
            StatusCode = statusCode;
            RequestId = requestId;
            Elapsed = elapsed;
            RequestBody = requestBody;
            ResponseBody = responseBody;
            Failure = failure;
        }

        public string Method { get; }

        /// <summary>The path and query on the API origin (or the full URL of a download).</summary>
        public string Path { get; }

        /// <summary>Null when no response arrived.</summary>
        public int? StatusCode { get; }

        public string? RequestId { get; }
        public TimeSpan Elapsed { get; }
        public string? RequestBody { get; }
        public string? ResponseBody { get; }

        /// <summary>Why no response arrived (timeout, connection failure), when none did.</summary>
        public string? Failure { get; }

        /// <summary>One line: method, path, status, request id, milliseconds.</summary>
        public override string ToString() =>
            $"{Method} {Path} -> {(StatusCode.HasValue ? StatusCode.Value.ToString() : Failure ?? "no response")}" +
            $"{(RequestId is null ? string.Empty : " (request id " + RequestId + ")")} in {Elapsed.TotalMilliseconds:0} ms";
    }
}
