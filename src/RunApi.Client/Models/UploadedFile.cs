using System.Text.Json.Serialization;

namespace RunApi.Client.Models
{
    /// <summary>A temporary file on RunAPI's file host; its URL expires an hour after creation.</summary>
    internal sealed class UploadedFile
    {
        [JsonPropertyName("file_name")] public string FileName { get; set; } = string.Empty;
        [JsonPropertyName("url")] public string Url { get; set; } = string.Empty;
        [JsonPropertyName("size_bytes")] public long SizeBytes { get; set; }
        [JsonPropertyName("mime_type")] public string? MimeType { get; set; }
        [JsonPropertyName("created_at")] public string? CreatedAt { get; set; }
        [JsonPropertyName("expires_at")] public string? ExpiresAt { get; set; }
    }

    /// <summary>Step 1 of a direct upload: where to PUT the bytes, and with which headers.</summary>
    internal sealed class PreparedUpload : IKeyFreeFields
    {
        [JsonPropertyName("signed_id")] public string SignedId { get; set; } = string.Empty;
        [JsonPropertyName("upload_url")] public string UploadUrl { get; set; } = string.Empty;
        [JsonPropertyName("headers")] public System.Collections.Generic.Dictionary<string, string>? Headers { get; set; }

        // The URL and the headers go to the upload host, which must never see the key.
        System.Collections.Generic.IEnumerable<string?> IKeyFreeFields.KeyFreeFields() =>
            System.Linq.Enumerable.Concat(new[] { UploadUrl, SignedId },
                System.Linq.Enumerable.SelectMany(Headers ?? new System.Collections.Generic.Dictionary<string, string>(), h => new[] { h.Key, h.Value }));
    }
}
