using System.Text.Json.Nodes;

namespace RunApi.Simulator.Api;

/// <summary>The kinds of value a request field may hold.</summary>
internal enum FieldKind
{
    String,
    Integer,
    StringList,
}

/// <summary>One request field and its rules (contract §2.3, §2.4).</summary>
/// <param name="AllowedValues">
/// Enum values given the model (null when the model is not valid), or null when the field has no enum or the
/// values depend on a model that is not known.
/// </param>
internal sealed record FieldRule(
    string Name,
    FieldKind Kind,
    bool Required = false,
    Func<string?, IReadOnlyList<string>?>? AllowedValues = null,
    int MinItems = 0,
    int MaxItems = int.MaxValue);

/// <summary>An Imagen task endpoint: its path segment, models, prices and fields.</summary>
internal sealed class ImagenEndpoint
{
    private static readonly string[] StandardRatios = ["1:1", "16:9", "9:16", "3:4", "4:3"];

    private static readonly string[] RemixRatios = ["1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9", "auto"];

    public static readonly ImagenEndpoint TextToImage = new(
        "text_to_image",
        new Dictionary<string, long> { ["imagen-4"] = 8, ["imagen-4-fast"] = 4, ["imagen-4-ultra"] = 12 },
        [
            new FieldRule("aspect_ratio", FieldKind.String, AllowedValues: model => model switch
            {
                null => null, // which ratios apply depends on a model we do not have
                "imagen-4-fast" => [.. StandardRatios, "auto"],
                _ => StandardRatios,
            }),
            new FieldRule("callback_url", FieldKind.String),
            new FieldRule("negative_prompt", FieldKind.String),
            // No length limit: the 5000-character figure is only Go help text (contract §8.2).
            new FieldRule("prompt", FieldKind.String, Required: true),
            new FieldRule("seed", FieldKind.Integer),
        ],
        body => 0);

    public static readonly ImagenEndpoint RemixImage = new(
        "remix_image",
        new Dictionary<string, long> { ["imagen-4-pro-remix-image"] = 18 },
        [
            new FieldRule("aspect_ratio", FieldKind.String, AllowedValues: _ => RemixRatios),
            new FieldRule("callback_url", FieldKind.String),
            new FieldRule("output_format", FieldKind.String, AllowedValues: _ => ["png", "jpg"]),
            new FieldRule("output_resolution", FieldKind.String, AllowedValues: _ => ["1k", "2k", "4k"]),
            new FieldRule("prompt", FieldKind.String, Required: true),
            new FieldRule("source_image_urls", FieldKind.StringList, Required: true, MinItems: 1, MaxItems: 8),
        ],
        // billing_config keyed on output_resolution: 1k and 2k cost the base price, 4k costs 24 cents (§2.2).
        body => body["output_resolution"]?.GetValue<string>() == "4k" ? 24 - 18 : 0);

    private readonly IReadOnlyDictionary<string, long> _basePrices;
    private readonly Func<JsonObject, long> _surcharge;

    private ImagenEndpoint(string name, IReadOnlyDictionary<string, long> basePrices, IReadOnlyList<FieldRule> fields, Func<JsonObject, long> surcharge)
    {
        Name = name;
        _basePrices = basePrices;
        Fields = fields;
        _surcharge = surcharge;
        Models = basePrices.Keys.Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The path segment and <see cref="SimulatedTask.Endpoint"/> value.</summary>
    public string Name { get; }

    /// <summary>Accepted model slugs, sorted (the order the model error lists them in).</summary>
    public IReadOnlyList<string> Models { get; }

    /// <summary>Every field except <c>model</c>, in alphabetical order (the order they are checked in).</summary>
    public IReadOnlyList<FieldRule> Fields { get; }

    public static ImagenEndpoint? FromName(string name) =>
        name == TextToImage.Name ? TextToImage : name == RemixImage.Name ? RemixImage : null;

    /// <summary>Price in cents of a validated, compacted request.</summary>
    public long PriceCents(string model, JsonObject body) => _basePrices[model] + _surcharge(body);
}
