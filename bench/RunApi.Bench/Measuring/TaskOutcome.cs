namespace RunApi.Bench.Measuring;

/// <summary>
/// One measured task as both sides saw it: when the simulator created and completed it, when the client knew it was
/// completed (null if it never did), how often the client asked about it, how many images it saved, and the phase of
/// the scenario it was sent in.
/// </summary>
public sealed record TaskOutcome(string TaskId, DateTimeOffset CreatedAt, DateTimeOffset CompletesAt, DateTimeOffset? DetectedAt, int Polls, int ImagesSaved, int Phase = 0)
{
    public TimeSpan? DetectionDelay => DetectedAt - CompletesAt;

    /// <summary>From the simulator's acceptance of the create to the instant the client knew the task was done.</summary>
    public TimeSpan? FoundAfterCreate => DetectedAt - CreatedAt;
}
