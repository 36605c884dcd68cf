namespace RunApi.Simulator.State;

/// <summary>A temporary file served from the files origin under /temp/{Key}/{FileName}.</summary>
internal sealed record TempFile(string Key, string FileName, byte[] Bytes, string MimeType, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>A direct upload between prepare and confirm.</summary>
internal sealed class PendingUpload(string signedId, string fileName, long byteSize, byte[] md5, string? contentType)
{
    public string SignedId { get; } = signedId;

    public string FileName { get; } = fileName;

    public long ByteSize { get; } = byteSize;

    public byte[] Md5 { get; } = md5;

    public string? ContentType { get; } = contentType;

    /// <summary>Set by the PUT once size and checksum matched.</summary>
    public byte[]? Bytes { get; set; }

    /// <summary>Set by confirm; a repeated confirm returns the same file.</summary>
    public TempFile? Confirmed { get; set; }
}

/// <summary>Uploaded temp files and direct uploads in progress, in memory.</summary>
internal sealed class FileStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, TempFile> _temp = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingUpload> _uploads = new(StringComparer.Ordinal);

    public void AddTemp(TempFile file)
    {
        lock (_gate)
        {
            _temp[file.Key] = file;
        }
    }

    public TempFile? FindTemp(string key)
    {
        lock (_gate)
        {
            return _temp.GetValueOrDefault(key);
        }
    }

    public void AddUpload(PendingUpload upload)
    {
        lock (_gate)
        {
            _uploads[upload.SignedId] = upload;
        }
    }

    /// <summary>The upload; callers lock on it while changing it.</summary>
    public PendingUpload? FindUpload(string signedId)
    {
        lock (_gate)
        {
            return _uploads.GetValueOrDefault(signedId);
        }
    }
}
