using RunApi.Simulator.Files;
using RunApi.Simulator.Pipeline;
using RunApi.Simulator.State;

namespace RunApi.Simulator.Api;

/// <summary>The API origin: authentication on every /api/v1 route, then the route table.</summary>
internal sealed class ApiRouter(SimulatorState state, FilesOrigin filesOrigin)
{
    private const string Prefix = "/api/v1";

    private readonly ImagenHandlers _imagen = new(state);
    private readonly AccountHandlers _account = new(state);
    private readonly FilesApiHandlers _files = new(state, filesOrigin);
    private readonly RateLimiter _limits = new(state);

    public SimResponse Handle(SimRequest request)
    {
        var path = request.Path;
        if (path != Prefix && !path.StartsWith(Prefix + "/", StringComparison.Ordinal))
        {
            return ApiErrors.NotFound();
        }

        if (!IsAuthorized(request.Header("Authorization")))
        {
            return ApiErrors.Unauthorized();
        }

        var segments = path[Prefix.Length..].Trim('/').Split('/');
        if (_limits.Refuse(request, isCreate: request.Method == "POST" && segments is ["imagen_4", _]) is { } refused)
        {
            return refused;
        }
        return (request.Method, segments) switch
        {
            ("POST", ["imagen_4", var endpoint]) when ImagenEndpoint.FromName(endpoint) is { } e => _imagen.Create(e, request),
            ("GET", ["imagen_4", var endpoint, var id]) when ImagenEndpoint.FromName(endpoint) is { } e => _imagen.Get(e, id),
            ("GET", ["me"]) => _account.Me(),
            ("GET", ["me", "balance"]) => _account.Balance(),
            ("POST", ["files"]) => _files.Upload(request),
            ("POST", ["files", "prepare"]) => _files.Prepare(request),
            ("POST", ["files", "confirm"]) => _files.Confirm(request),
            _ => ApiErrors.NotFound(),
        };
    }

    /// <summary>Exactly "Bearer &lt;key&gt;" (the scheme is case-insensitive, as in HTTP).</summary>
    private bool IsAuthorized(string? authorization)
    {
        const string scheme = "Bearer ";
        return authorization is not null
            && authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(authorization[scheme.Length..].Trim(), state.Options.ApiKey, StringComparison.Ordinal);
    }
}
