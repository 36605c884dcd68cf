namespace RunApi.Simulator.Faults;

/// <summary>What a <see cref="FaultRule"/> does to a matching request.</summary>
internal enum FaultKind
{
    Respond,
    RespondAfterProcessing,
    Delay,
    DropConnection,
    DropAfterProcessing,
    TruncateBody,
    RespondStreamed,
    Rewrite,
}
