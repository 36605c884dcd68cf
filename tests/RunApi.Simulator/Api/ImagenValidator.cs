using System.Text.Json;
using System.Text.Json.Nodes;

namespace RunApi.Simulator.Api;

/// <summary>
/// Server-side validation of a compacted create body (contract §2.5): model membership first, then each field in
/// alphabetical order (required, then item count, then type, then enum). All failing fields are reported at once.
/// </summary>
internal static class ImagenValidator
{
    public static ValidationErrors Validate(ImagenEndpoint endpoint, JsonObject body)
    {
        var errors = new ValidationErrors();
        var model = StringValue(body["model"]);
        var modelKnown = model is not null && endpoint.Models.Contains(model);
        if (!modelKnown)
        {
            errors.Add("model", "must be one of: " + string.Join(", ", endpoint.Models));
        }

        var known = endpoint.Fields.ToDictionary(f => f.Name);
        var names = body.Select(p => p.Key)
            .Concat(endpoint.Fields.Where(f => f.Required).Select(f => f.Name))
            .Where(n => n != "model")
            .Distinct()
            .Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!known.TryGetValue(name, out var rule))
            {
                // Contract §8.2 leaves open whether the server ignores or rejects unknown fields. Rejecting them is
                // the safe reading for a test double: a client that passes here sends only fields the contract names
                // (so no stale output_count, and no seed or negative_prompt on remix), which works under either reading.
                errors.Add(name, "is not a permitted parameter");
                continue;
            }

            var message = Check(rule, body[name], modelKnown ? model! : null);
            if (message is not null)
            {
                errors.Add(name, message);
            }
        }

        return errors;
    }

    private static string? Check(FieldRule rule, JsonNode? value, string? model)
    {
        if (!IsPresent(value))
        {
            return rule.Required ? "is required" : null;
        }

        switch (rule.Kind)
        {
            case FieldKind.Integer:
                // A JSON integer only: 1.5, 1.0, "1" and true are all rejected.
                return value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out _)
                    ? null
                    : "must be an integer";

            case FieldKind.StringList:
                if (value is not JsonArray items)
                {
                    return "must be an array of strings";
                }

                if (items.Count < rule.MinItems || items.Count > rule.MaxItems)
                {
                    return $"must contain between {rule.MinItems} and {rule.MaxItems} items";
                }

                return items.All(i => !string.IsNullOrWhiteSpace(StringValue(i))) ? null : "must contain only non-blank strings";

            default:
                var text = StringValue(value);
                if (text is null)
                {
                    return "must be a string";
                }

                if (rule.AllowedValues?.Invoke(model) is { } allowed)
                {
                    if (!allowed.Contains(text, StringComparer.Ordinal))
                    {
                        return "must be one of: " + string.Join(", ", allowed);
                    }
                }

                return null;
        }
    }

    /// <summary>Contract §2.5: present means non-null, non-blank and not an empty array (false and 0 are present).</summary>
    private static bool IsPresent(JsonNode? value) => value switch
    {
        null => false,
        JsonArray array => array.Count > 0,
        JsonValue when value.GetValueKind() == JsonValueKind.String => !string.IsNullOrWhiteSpace(value.GetValue<string>()),
        _ => true,
    };

    public static string? StringValue(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
