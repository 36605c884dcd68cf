using System.Security.Cryptography;
using RunApi.Simulator.Api;
using RunApi.Simulator.Pipeline;
using RunApi.Simulator.Png;
using RunApi.Simulator.State;

namespace RunApi.Simulator.Files;

/// <summary>
/// The second origin (like file.runapi.ai): generated images, temp files and direct-upload PUTs. No authentication;
/// whatever Authorization header arrives is only recorded.
/// </summary>
internal sealed class FilesOrigin(SimulatorState state)
{
    public SimResponse Handle(SimRequest request)
    {
        var segments = request.Path.Trim('/').Split('/');
        var isRead = request.Method is "GET" or "HEAD";
        return segments switch
        {
            ["generated" or "origin", var taskId, var file] when isRead => GeneratedImage(taskId, file),
            ["temp", var key, var name] when isRead => Temp(key, name),
            ["uploads", var signedId] when request.Method == "PUT" => Upload(signedId, request),
            _ => ApiErrors.NotFound(),
        };
    }

    /// <summary>The image bytes for a task and index regardless of status; null for an unknown task or index.</summary>
    public PngImage? Image(string taskId, int index)
    {
        var task = state.Tasks.Find(taskId);
        if (task is null || index < 0 || index >= task.ImageCount)
        {
            return null;
        }

        return PngImage.Create(taskId, index, state.Options.ImageBytes);
    }

    /// <summary>Bytes behind a URL on this origin, for POST /api/v1/files with a url source; null if it serves nothing.</summary>
    public byte[]? TryRead(Uri url)
    {
        if (!url.AbsoluteUri.StartsWith(state.FilesOrigin + "/", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var request = new SimRequest
        {
            Method = "GET",
            Path = Uri.UnescapeDataString(url.AbsolutePath),
            QueryString = "",
            OnFilesOrigin = true,
            Headers = new Dictionary<string, string>(),
            Body = [],
        };
        var response = Handle(request);
        if (response.StatusCode != 200)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        response.WriteBodyAsync(buffer, CancellationToken.None).GetAwaiter().GetResult();
        return buffer.ToArray();
    }

    /// <summary>404 until the task has completed: a client must not be able to download before the task says so.</summary>
    private SimResponse GeneratedImage(string taskId, string file)
    {
        if (!file.EndsWith(".png", StringComparison.Ordinal) || !int.TryParse(file[..^4], out var index) || index.ToString() != file[..^4])
        {
            return ApiErrors.NotFound();
        }

        var task = state.Tasks.Find(taskId);
        var image = Image(taskId, index);
        if (task is null || image is null || task.StatusAt(state.Now) != "completed")
        {
            return ApiErrors.NotFound();
        }

        return SimResponse.Streamed(200, "image/png", image.Length, image.WriteToAsync);
    }

    private SimResponse Temp(string key, string name)
    {
        var file = state.Files.FindTemp(key);
        if (file is null || file.FileName != name || state.Now >= file.ExpiresAt)
        {
            return ApiErrors.NotFound();
        }

        return SimResponse.Bytes(200, file.MimeType, file.Bytes);
    }

    /// <summary>Step 2 of a direct upload: the bytes must match the prepared size and MD5, sent as application/octet-stream.</summary>
    private SimResponse Upload(string signedId, SimRequest request)
    {
        var upload = state.Files.FindUpload(signedId);
        if (upload is null)
        {
            return ApiErrors.NotFound("Upload not found");
        }

        var contentType = request.Header("Content-Type")?.Split(';')[0].Trim();
        if (!string.Equals(contentType, FilesApiHandlers.UploadContentType, StringComparison.OrdinalIgnoreCase))
        {
            return ApiErrors.ValidationFailed("content_type", "must be " + FilesApiHandlers.UploadContentType);
        }

        if (request.Body.LongLength != upload.ByteSize)
        {
            return ApiErrors.ValidationFailed("byte_size", $"does not match the uploaded data ({request.Body.LongLength} bytes received)");
        }

        if (!MD5.HashData(request.Body).AsSpan().SequenceEqual(upload.Md5))
        {
            return ApiErrors.ValidationFailed("checksum", "does not match the uploaded data");
        }

        lock (upload)
        {
            upload.Bytes = request.Body;
        }

        return SimResponse.Empty(204);
    }
}
