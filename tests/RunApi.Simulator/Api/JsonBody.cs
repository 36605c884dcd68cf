using System.Text.Json;
using System.Text.Json.Nodes;

namespace RunApi.Simulator.Api;

/// <summary>Parsing, compaction and canonical form of JSON request bodies.</summary>
internal static class JsonBody
{
    /// <summary>The body as a JSON object, or null if it is not one (the caller answers 400 "Invalid JSON body").</summary>
    public static JsonObject? ParseObject(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Contract §2.5: top-level keys whose value is null, an empty string or a whitespace-only string are removed
    /// before validating. Zero, false and other values are kept.
    /// </summary>
    public static JsonObject Compact(JsonObject body)
    {
        var compacted = new JsonObject();
        foreach (var (name, value) in body)
        {
            if (value is null)
            {
                continue;
            }

            if (value.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetValue<string>()))
            {
                continue;
            }

            compacted[name] = value.DeepClone();
        }

        return compacted;
    }

    /// <summary>
    /// One string per meaning: keys sorted at every level, no whitespace. Two bodies that differ only in key order or
    /// formatting (or in fields compaction drops) are the same request for Idempotency-Key purposes.
    /// </summary>
    public static string Canonical(JsonNode? node) => Sorted(node)?.ToJsonString() ?? "null";

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Sorted).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };
}
