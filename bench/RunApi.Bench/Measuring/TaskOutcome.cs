namespace RunApi.Bench.Measuring;

/// <summary>
/// One measured task as both sides saw it: when the simulator created and completed it, when the client knew it was
/// completed (null if it never did), how often the client asked about it and how many images it saved.
/// </summary>
public sealed record TaskOutcome(string TaskId, DateTimeOffset CreatedAt, DateTimeOffset CompletesAt, DateTimeOffset? DetectedAt, int Polls, int ImagesSaved)
{
    public TimeSpan? DetectionDelay => DetectedAt - CompletesAt;
}
