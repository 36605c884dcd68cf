namespace RunApi.Simulator;

/// <summary>
/// A task the simulator accepted, as the server sees it. Immutable apart from counters; its status is a function of
/// time, so no timers run in the background.
/// </summary>
public sealed class SimulatedTask
{
    private int _replayCount;
    private int _refunded;

    internal SimulatedTask(
        string id,
        string endpoint,
        string model,
        string prompt,
        string requestBody,
        string? idempotencyKey,
        string? clientRequestId,
        DateTimeOffset createdAt,
        TimeSpan generationTime,
        double pendingFraction,
        bool willFail,
        long priceCents,
        int imageCount)
    {
        Id = id;
        Endpoint = endpoint;
        Model = model;
        Prompt = prompt;
        RequestBody = requestBody;
        IdempotencyKey = idempotencyKey;
        ClientRequestId = clientRequestId;
        CreatedAt = createdAt;
        ProcessingAt = createdAt + generationTime * Math.Clamp(pendingFraction, 0, 1);
        CompletesAt = createdAt + generationTime;
        WillFail = willFail;
        PriceCents = priceCents;
        ImageCount = imageCount;
    }

    public string Id { get; }

    /// <summary>"text_to_image" or "remix_image".</summary>
    public string Endpoint { get; }

    public string Model { get; }

    /// <summary>The prompt as accepted (after compaction).</summary>
    public string Prompt { get; }

    /// <summary>The create request body exactly as received.</summary>
    public string RequestBody { get; }

    public string? IdempotencyKey { get; }

    /// <summary>The X-Client-Request-Id the create carried; the contract says the server stores it with the task.</summary>
    public string? ClientRequestId { get; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>When the status turns from "pending" to "processing".</summary>
    public DateTimeOffset ProcessingAt { get; }

    /// <summary>When the status turns "completed" (or "failed").</summary>
    public DateTimeOffset CompletesAt { get; }

    /// <summary>True when the prompt contains <see cref="SimulatorOptions.FailureMarker"/>.</summary>
    public bool WillFail { get; }

    /// <summary>The amount reserved at acceptance.</summary>
    public long PriceCents { get; }

    /// <summary>How many images the completed task lists.</summary>
    public int ImageCount { get; }

    /// <summary>How many replays (same Idempotency-Key, same body) were answered with this task.</summary>
    public int ReplayCount => Volatile.Read(ref _replayCount);

    /// <summary>pending, processing, completed or failed, at <paramref name="now"/>.</summary>
    public string StatusAt(DateTimeOffset now) =>
        now >= CompletesAt ? (WillFail ? "failed" : "completed")
        : now >= ProcessingAt ? "processing"
        : "pending";

    internal bool IsRefunded => Volatile.Read(ref _refunded) == 1;

    internal void CountReplay() => Interlocked.Increment(ref _replayCount);

    /// <summary>True the first time only: the refund is paid once however often the failure is observed.</summary>
    internal bool TryMarkRefunded() => Interlocked.Exchange(ref _refunded, 1) == 0;

    public override string ToString() => $"{Id} {Endpoint} {Model}";
}
