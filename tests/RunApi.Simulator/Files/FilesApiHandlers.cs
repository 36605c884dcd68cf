using System.Text.Json;
using System.Text.Json.Nodes;
using RunApi.Simulator.Api;
using RunApi.Simulator.Pipeline;
using RunApi.Simulator.Png;
using RunApi.Simulator.State;

namespace RunApi.Simulator.Files;

/// <summary>
/// The Files API on the API origin (contract §2.1, §3.4, §7): POST /api/v1/files (from a URL or base64) and the
/// direct upload's prepare and confirm steps. Files land on the files origin under /temp and expire after an hour.
/// </summary>
internal sealed class FilesApiHandlers(SimulatorState state, FilesOrigin origin)
{
    public const string UploadContentType = "application/octet-stream";

    private static readonly TimeSpan TempLifetime = TimeSpan.FromHours(1);

    public SimResponse Upload(SimRequest request)
    {
        var parsed = JsonBody.ParseObject(request.Body);
        if (parsed is null)
        {
            return ApiErrors.InvalidJson();
        }

        var body = JsonBody.Compact(parsed);
        var errors = new ValidationErrors();
        var fileName = OptionalString(body, "file_name", errors);
        byte[]? bytes = null;
        string? nameFromSource = null;
        if (body["source"] is not JsonObject source)
        {
            errors.Add("source", body["source"] is null ? "is required" : "must be an object");
        }
        else
        {
            switch (ImagenValidator.StringValue(source["type"]))
            {
                case "base64":
                    bytes = DecodeBase64(ImagenValidator.StringValue(source["data"]), errors);
                    break;
                case "url":
                    (bytes, nameFromSource) = ReadUrl(ImagenValidator.StringValue(source["url"]), errors);
                    break;
                case null when source["type"] is null:
                    errors.Add("source.type", "is required");
                    break;
                default:
                    errors.Add("source.type", "must be one of: base64, url");
                    break;
            }
        }

        if (errors.Any || bytes is null)
        {
            return ApiErrors.ValidationFailed(errors);
        }

        var mimeType = MimeTypes.Detect(bytes, fileName ?? nameFromSource ?? "");
        var name = SafeName(fileName ?? nameFromSource ?? "upload" + MimeTypes.Extension(mimeType));
        return UploadResponse(Store(name, bytes, mimeType));
    }

    /// <summary>Step 1 of a direct upload.</summary>
    public SimResponse Prepare(SimRequest request)
    {
        var parsed = JsonBody.ParseObject(request.Body);
        if (parsed is null)
        {
            return ApiErrors.InvalidJson();
        }

        var body = JsonBody.Compact(parsed);
        var errors = new ValidationErrors();
        long byteSize = 0;
        if (body["byte_size"] is not JsonValue sizeValue)
        {
            errors.Add("byte_size", "is required");
        }
        else if (sizeValue.GetValueKind() != JsonValueKind.Number || !sizeValue.TryGetValue(out byteSize))
        {
            errors.Add("byte_size", "must be an integer");
        }
        else if (byteSize <= 0)
        {
            errors.Add("byte_size", "must be greater than 0");
        }

        var checksum = ImagenValidator.StringValue(body["checksum"]);
        var md5 = checksum is null ? null : TryBase64(checksum);
        if (body["checksum"] is null)
        {
            errors.Add("checksum", "is required");
        }
        else if (md5 is not { Length: 16 })
        {
            errors.Add("checksum", "must be the base64 MD5 of the file");
        }

        var contentType = OptionalString(body, "content_type", errors);
        var fileName = ImagenValidator.StringValue(body["filename"]);
        if (fileName is null)
        {
            errors.Add("filename", body["filename"] is null ? "is required" : "must be a string");
        }

        if (errors.Any)
        {
            return ApiErrors.ValidationFailed(errors);
        }

        var upload = new PendingUpload("sim-blob-" + state.Random.NextHex(16), SafeName(fileName!), byteSize, md5!, contentType);
        state.Files.AddUpload(upload);
        return SimResponse.Json(200, new JsonObject
        {
            ["signed_id"] = upload.SignedId,
            ["upload_url"] = $"{state.FilesOrigin}/uploads/{upload.SignedId}",
            ["headers"] = new JsonObject { ["Content-Type"] = UploadContentType },
        });
    }

    /// <summary>Step 3 of a direct upload. Confirming twice returns the same file.</summary>
    public SimResponse Confirm(SimRequest request)
    {
        var parsed = JsonBody.ParseObject(request.Body);
        if (parsed is null)
        {
            return ApiErrors.InvalidJson();
        }

        var signedId = ImagenValidator.StringValue(JsonBody.Compact(parsed)["signed_id"]);
        if (signedId is null)
        {
            return ApiErrors.ValidationFailed("signed_id", "is required");
        }

        var upload = state.Files.FindUpload(signedId);
        if (upload is null)
        {
            return ApiErrors.NotFound("Upload not found");
        }

        lock (upload)
        {
            if (upload.Bytes is null)
            {
                return ApiErrors.ValidationFailed("signed_id", "has no uploaded file; PUT the bytes to upload_url first");
            }

            upload.Confirmed ??= Store(upload.FileName, upload.Bytes, upload.ContentType ?? MimeTypes.Detect(upload.Bytes, upload.FileName));
            return UploadResponse(upload.Confirmed);
        }
    }

    private TempFile Store(string fileName, byte[] bytes, string mimeType)
    {
        var now = state.Now;
        var file = new TempFile(state.Random.NextHex(12), fileName, bytes, mimeType, now, now + TempLifetime);
        state.Files.AddTemp(file);
        return file;
    }

    private SimResponse UploadResponse(TempFile file) => SimResponse.Json(200, new JsonObject
    {
        ["file_name"] = file.FileName,
        ["url"] = $"{state.FilesOrigin}/temp/{file.Key}/{Uri.EscapeDataString(file.FileName)}",
        ["size_bytes"] = file.Bytes.LongLength,
        ["mime_type"] = file.MimeType,
        ["created_at"] = TaskJson.Rfc3339(file.CreatedAt),
        ["expires_at"] = TaskJson.Rfc3339(file.ExpiresAt),
    });

    /// <summary>
    /// The simulator may not reach the internet, so a URL source is only really read when it points at the
    /// simulator's own files origin; any other http(s) URL stands for a small placeholder PNG made from the URL.
    /// </summary>
    private (byte[]? Bytes, string? Name) ReadUrl(string? url, ValidationErrors errors)
    {
        if (url is null)
        {
            errors.Add("source.url", "is required");
            return (null, null);
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add("source.url", "must be an http or https URL");
            return (null, null);
        }

        var bytes = origin.TryRead(uri) ?? PngImage.Create("url:" + uri.AbsoluteUri, 0, 0).ToArray();
        var lastSegment = Uri.UnescapeDataString(uri.Segments[^1].TrimEnd('/'));
        return (bytes, Path.HasExtension(lastSegment) ? lastSegment : null);
    }

    private static byte[]? DecodeBase64(string? data, ValidationErrors errors)
    {
        if (data is null)
        {
            errors.Add("source.data", "is required");
            return null;
        }

        // Accept a data: URI as well as bare base64.
        var comma = data.StartsWith("data:", StringComparison.OrdinalIgnoreCase) ? data.IndexOf(',') : -1;
        var bytes = TryBase64(comma >= 0 ? data[(comma + 1)..] : data);
        if (bytes is null || bytes.Length == 0)
        {
            errors.Add("source.data", "must be non-empty base64");
        }

        return bytes;
    }

    private static byte[]? TryBase64(string text)
    {
        try
        {
            return Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string? OptionalString(JsonObject body, string field, ValidationErrors errors)
    {
        if (body[field] is null)
        {
            return null;
        }

        var text = ImagenValidator.StringValue(body[field]);
        if (text is null)
        {
            errors.Add(field, "must be a string");
        }

        return text;
    }

    /// <summary>The name becomes one URL path segment, so separators are replaced.</summary>
    private static string SafeName(string name) => name.Replace('/', '_').Replace('\\', '_');
}
