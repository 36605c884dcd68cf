namespace RunApi.Simulator;

/// <summary>How a <see cref="RunApiSimulator"/> behaves. Read once at start, except where a member says otherwise.</summary>
public sealed class SimulatorOptions
{
    /// <summary>The one API key accepted as <c>Authorization: Bearer &lt;key&gt;</c>.</summary>
    public string ApiKey { get; set; } = "sim-0123456789abcdef0123456789abcdef";

    /// <summary>Starting balance. Change it later through <see cref="RunApiSimulator.BalanceCents"/>.</summary>
    public long BalanceCents { get; set; } = 1_000_000;

    /// <summary>How long a task takes from acceptance to its terminal status, for models not in <see cref="GenerationTimeByModel"/>.</summary>
    public TimeSpan GenerationTime { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Per-model generation time range; each task draws uniformly from [Min, Max].</summary>
    public Dictionary<string, (TimeSpan Min, TimeSpan Max)> GenerationTimeByModel { get; } = new();

    /// <summary>Share of the generation time spent in "pending" before "processing" (clamped to 0..1).</summary>
    public double PendingFraction { get; set; } = 0.1;

    /// <summary>Images in each completed task.</summary>
    public int ImagesPerTask { get; set; } = 1;

    /// <summary>0 = the natural small PNG; otherwise each PNG is padded, with a private ancillary chunk, to this size.</summary>
    public int ImageBytes { get; set; }

    /// <summary>A prompt containing this text ends as status "failed" with error "Generation failed".</summary>
    public string FailureMarker { get; set; } = "[fail]";

    /// <summary>The clock for task lifecycles, Delay faults, timestamps and recorded request times.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Port of the API origin on 127.0.0.1; 0 picks a free one.</summary>
    public int ApiPort { get; set; }

    /// <summary>Port of the files origin (generated images, temp files, direct uploads) on 127.0.0.1; 0 picks a free one.</summary>
    public int FilesPort { get; set; }

    /// <summary>
    /// RunAPI's per-key rate limit: API requests per second a key may make on average (a token bucket over all of its
    /// requests); above it, 429 with Retry-After. Null (the default) sets no limit.
    /// </summary>
    public double? RateLimitPerSecond { get; set; }

    /// <summary>How many requests a key may make at once before the rate applies; default: one second's worth.</summary>
    public int? RateLimitBurst { get; set; }

    /// <summary>Tasks a key may have generating at once; a create beyond it gets 429 with Retry-After. Null: no cap.</summary>
    public int? MaxGeneratingPerKey { get; set; }

    /// <summary>Seeds ids, generation-time draws and fault probabilities, for repeatable runs.</summary>
    public int? RandomSeed { get; set; }
}
