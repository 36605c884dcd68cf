using System.Text.Json.Nodes;
using RunApi.Simulator.Pipeline;

namespace RunApi.Simulator.Api;

/// <summary>The error bodies of the contract (§4.1), in the shapes the real service uses for each case.</summary>
internal static class ApiErrors
{
    /// <summary><c>{"error":"message"}</c>.</summary>
    public static JsonObject Plain(string message) => new() { ["error"] = message };

    /// <summary><c>{"error":{"code":…,"message":…}}</c>.</summary>
    public static JsonObject Coded(string code, string message) =>
        new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };

    public static SimResponse Unauthorized() =>
        SimResponse.Json(401, Coded("unauthorized", "Invalid or missing API key"));

    public static SimResponse InsufficientCredits() =>
        SimResponse.Json(402, Coded("insufficient_credits", "Insufficient credits"));

    public static SimResponse NotFound(string message = "Not found") =>
        SimResponse.Json(404, Coded("not_found", message));

    public static SimResponse TaskNotFound() => NotFound("Task not found");

    public static SimResponse IdempotencyConflict() =>
        SimResponse.Json(409, Coded("request_conflict", "Idempotency-Key was already used with different request parameters"));

    public static SimResponse InvalidJson() => SimResponse.Json(400, Plain("Invalid JSON body"));

    /// <summary>422 <c>{"error":"Validation failed","errors":{"field":["message without the field name"]}}</c>.</summary>
    public static SimResponse ValidationFailed(ValidationErrors errors)
    {
        var fields = new JsonObject();
        foreach (var (field, messages) in errors.All)
        {
            fields[field] = new JsonArray(messages.Select(m => (JsonNode?)JsonValue.Create(m)).ToArray());
        }

        return SimResponse.Json(422, new JsonObject { ["error"] = "Validation failed", ["errors"] = fields });
    }

    public static SimResponse ValidationFailed(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return ValidationFailed(errors);
    }
}
