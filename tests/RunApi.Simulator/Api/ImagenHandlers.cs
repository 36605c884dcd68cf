using System.Text;
using System.Text.Json.Nodes;
using RunApi.Simulator.Pipeline;
using RunApi.Simulator.State;

namespace RunApi.Simulator.Api;

/// <summary>Create and get for the two Imagen endpoints.</summary>
internal sealed class ImagenHandlers(SimulatorState state)
{
    private const int MaxIdempotencyKeyLength = 512;

    /// <summary>
    /// Order: JSON parse (400), compaction and validation (422), Idempotency-Key length (422), replay or conflict
    /// (200 replay / 409), credits (402), then reserve and create (200).
    /// </summary>
    public SimResponse Create(ImagenEndpoint endpoint, SimRequest request)
    {
        var parsed = JsonBody.ParseObject(request.Body);
        if (parsed is null)
        {
            return ApiErrors.InvalidJson();
        }

        var body = JsonBody.Compact(parsed);
        var errors = ImagenValidator.Validate(endpoint, body);
        if (errors.Any)
        {
            return ApiErrors.ValidationFailed(errors);
        }

        var idempotencyKey = request.Header("Idempotency-Key");
        if (string.IsNullOrWhiteSpace(idempotencyKey))
        {
            idempotencyKey = null;
        }
        else if (idempotencyKey.Length > MaxIdempotencyKeyLength)
        {
            return ApiErrors.ValidationFailed("idempotency_key", $"is too long (maximum is {MaxIdempotencyKeyLength} characters)");
        }

        var model = ImagenValidator.StringValue(body["model"])!;
        var prompt = ImagenValidator.StringValue(body["prompt"])!;
        var price = endpoint.PriceCents(model, body);
        var now = state.Now;
        // Authentication has passed, so the caller holds the simulator's one key; the scope still names it
        // because the real service remembers keys per API key.
        var scope = idempotencyKey is null ? (IdempotencyScope?)null : new IdempotencyScope(state.Options.ApiKey, endpoint.Name, idempotencyKey);

        var (outcome, task) = state.Tasks.CreateOrReplay(scope, JsonBody.Canonical(body), price, now, () => new SimulatedTask(
            state.NextTaskId(),
            endpoint.Name,
            model,
            prompt,
            Encoding.UTF8.GetString(request.Body),
            idempotencyKey,
            request.Header("X-Client-Request-Id"),
            now,
            GenerationTime(model),
            state.Options.PendingFraction,
            !string.IsNullOrEmpty(state.Options.FailureMarker) && prompt.Contains(state.Options.FailureMarker, StringComparison.Ordinal),
            price,
            state.Options.ImagesPerTask));

        return outcome switch
        {
            CreateOutcome.Created => TaskResult(TaskJson.CreateResponse(task!, replayed: false, now), task!),
            CreateOutcome.Replayed => TaskResult(TaskJson.CreateResponse(task!, replayed: true, now), task!),
            CreateOutcome.Conflict => ApiErrors.IdempotencyConflict(),
            _ => ApiErrors.InsufficientCredits(),
        };
    }

    public SimResponse Get(ImagenEndpoint endpoint, string taskId)
    {
        var task = state.Tasks.Find(taskId);
        if (task is null || task.Endpoint != endpoint.Name)
        {
            return ApiErrors.TaskNotFound();
        }

        state.Tasks.SettleRefunds(state.Now);
        return TaskResult(TaskJson.TaskResponse(task, state), task);
    }

    private static SimResponse TaskResult(JsonObject json, SimulatedTask task) =>
        SimResponse.Json(200, json).WithHeader("X-RunAPI-Task-Id", task.Id);

    private TimeSpan GenerationTime(string model) =>
        state.Options.GenerationTimeByModel.TryGetValue(model, out var range)
            ? state.Random.NextBetween(range.Min, range.Max)
            : state.Options.GenerationTime;
}
