using RunApi.Simulator.Faults;

namespace RunApi.Simulator;

/// <summary>
/// One scripted fault: an action (from a factory) and optional filters (fluent). Add it to
/// <see cref="RunApiSimulator.Faults"/>. Rules match before authentication and validation, on both origins.
/// </summary>
public sealed class FaultRule
{
    private readonly TaskCompletionSource _firstFire = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _method;
    private string? _pathPrefix;
    private int? _remaining;
    private double _probability = 1.0;
    private int _firedCount;

    private FaultRule(FaultKind kind)
    {
        Kind = kind;
    }

    internal FaultKind Kind { get; }

    internal int Status { get; private init; }

    internal string? Body { get; private init; }

    internal IReadOnlyList<(string Name, string Value)> Headers { get; private init; } = [];

    internal TimeSpan DelayTime { get; private init; }

    internal double Fraction { get; private init; }

    internal string? ContentType { get; private init; }

    internal long? Length { get; private init; }

    internal Func<Stream, CancellationToken, Task>? Writer { get; private init; }

    internal Func<string, string>? Transform { get; private init; }

    /// <summary>How many requests this rule has fired on.</summary>
    public int FiredCount => Volatile.Read(ref _firedCount);

    /// <summary>Answer with this status, body and headers instead of running the real handler.</summary>
    public static FaultRule Respond(int status, string? body = null, params (string Name, string Value)[] headers)
    {
        RequireStatus(status);
        return new FaultRule(FaultKind.Respond) { Status = status, Body = body, Headers = headers ?? [] };
    }

    /// <summary>Run the real handler (a create IS accepted and charged), then discard its response and answer this instead.</summary>
    public static FaultRule RespondAfterProcessing(int status, string? body = null)
    {
        RequireStatus(status);
        return new FaultRule(FaultKind.RespondAfterProcessing) { Status = status, Body = body };
    }

    /// <summary>Wait this long on the simulator's TimeProvider, then handle the request normally.</summary>
    public static FaultRule Delay(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return new FaultRule(FaultKind.Delay) { DelayTime = delay };
    }

    /// <summary>Abort the connection without running the handler and without any response.</summary>
    public static FaultRule DropConnection() => new(FaultKind.DropConnection);

    /// <summary>Run the real handler, then abort the connection without any response.</summary>
    public static FaultRule DropAfterProcessing() => new(FaultKind.DropAfterProcessing);

    /// <summary>Run the real handler, send its headers (with the full Content-Length) and only this fraction of the body, then abort.</summary>
    public static FaultRule TruncateBody(double fraction = 0.5)
    {
        if (double.IsNaN(fraction) || fraction < 0 || fraction >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The fraction sent must be at least 0 and less than 1.");
        }

        return new FaultRule(FaultKind.TruncateBody) { Fraction = fraction };
    }

    /// <summary>
    /// A hostile or broken server's body: answer with this status and whatever <paramref name="write"/> sends, for as
    /// long as it takes (a drip, a stall, gigabytes). A null <paramref name="length"/> sends no Content-Length (chunked),
    /// so the end of the body is wherever the writer stops.
    /// </summary>
    public static FaultRule RespondStreamed(int status, string contentType, long? length, Func<Stream, CancellationToken, Task> write)
    {
        RequireStatus(status);
        ArgumentNullException.ThrowIfNull(write);
        return new FaultRule(FaultKind.RespondStreamed) { Status = status, ContentType = contentType, Length = length, Writer = write };
    }

    /// <summary>Run the real handler (a create IS accepted and charged), then send its body changed by <paramref name="transform"/>.</summary>
    public static FaultRule Rewrite(Func<string, string> transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        return new FaultRule(FaultKind.Rewrite) { Transform = transform };
    }

    /// <summary>Only requests with this method and a path starting with this prefix (case-insensitive). Calling it again replaces the filter.</summary>
    public FaultRule For(string method, string pathPrefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentNullException.ThrowIfNull(pathPrefix);
        _method = method.Trim();
        _pathPrefix = pathPrefix;
        return this;
    }

    /// <summary>Fire at most this many times (default: unlimited).</summary>
    public FaultRule Times(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _remaining = count;
        return this;
    }

    /// <summary>Fire on each matching request with this probability (drawn from the simulator's seeded random when RandomSeed is set).</summary>
    public FaultRule WithProbability(double p)
    {
        if (double.IsNaN(p) || p < 0 || p > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "The probability must be between 0 and 1.");
        }

        _probability = p;
        return this;
    }

    /// <summary>
    /// Completes when this rule has fired for the first time and its action is armed. For <see cref="Delay"/> that
    /// means the timer is running, so a test can advance a fake clock right after this completes.
    /// </summary>
    public Task WaitForFireAsync(CancellationToken cancellationToken = default) =>
        _firstFire.Task.WaitAsync(cancellationToken);

    /// <summary>Decides whether this rule fires on a request, and if so uses one of its firings. Called under the injector's lock.</summary>
    internal bool TryClaim(string method, string path, Func<double> nextRandom)
    {
        if (_remaining is 0)
        {
            return false;
        }

        if (_method is not null && !string.Equals(_method, method, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (_pathPrefix is not null && !path.StartsWith(_pathPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // A rule that loses the draw does not fire this time, so later rules still get their chance.
        if (_probability < 1.0 && nextRandom() >= _probability)
        {
            return false;
        }

        if (_remaining is int remaining)
        {
            _remaining = remaining - 1;
        }

        Interlocked.Increment(ref _firedCount);
        return true;
    }

    /// <summary>Signals <see cref="WaitForFireAsync"/>; the pipeline calls it once the action is under way.</summary>
    internal void NotifyArmed() => _firstFire.TrySetResult();

    private static void RequireStatus(int status)
    {
        if (status is < 100 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "An HTTP status is between 100 and 599.");
        }
    }

    public override string ToString() =>
        $"{Kind} for {_method ?? "*"} {_pathPrefix ?? "*"} (fired {FiredCount})";
}
