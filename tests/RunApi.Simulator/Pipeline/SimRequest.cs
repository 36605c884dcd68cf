namespace RunApi.Simulator.Pipeline;

/// <summary>A request as the handlers see it: fully read, independent of ASP.NET Core, so a handler is a plain function.</summary>
internal sealed class SimRequest
{
    public required string Method { get; init; }

    public required string Path { get; init; }

    public required string QueryString { get; init; }

    public required bool OnFilesOrigin { get; init; }

    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    public required byte[] Body { get; init; }

    public bool IsHead => Method == "HEAD";

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
