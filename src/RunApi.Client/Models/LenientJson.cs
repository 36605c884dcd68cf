using System;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RunApi.Client.Models
{
    // Readers for what RunAPI adds to a task and the contract knows only from examples (progress, usage). Such a field
    // in a shape nobody has seen reads as null: a figure that only adds to a task must not make the whole answer
    // unreadable, and with it the wait that asked for it.

    /// <summary>A JSON number (or a number in a string) as a double; anything else as null.</summary>
    internal sealed class LenientDouble : JsonConverter<double?>
    {
        public override double? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Number:
                    return reader.TryGetDouble(out var number) ? number : (double?)null;
                case JsonTokenType.String:
                    return double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var text) ? text : (double?)null;
                default:
                    reader.Skip();
                    return null;
            }
        }

        public override void Write(Utf8JsonWriter writer, double? value, JsonSerializerOptions options)
        {
            if (value is { } number) writer.WriteNumberValue(number);
            else writer.WriteNullValue();
        }
    }

    /// <summary>A JSON number (or a number in a string) as a decimal, every digit kept; anything else as null.</summary>
    internal sealed class LenientDecimal : JsonConverter<decimal?>
    {
        public override decimal? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Number:
                    return reader.TryGetDecimal(out var number) ? number : (decimal?)null;
                case JsonTokenType.String:
                    return decimal.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var text) ? text : (decimal?)null;
                default:
                    reader.Skip();
                    return null;
            }
        }

        public override void Write(Utf8JsonWriter writer, decimal? value, JsonSerializerOptions options)
        {
            if (value is { } number) writer.WriteNumberValue(number);
            else writer.WriteNullValue();
        }
    }

    /// <summary>A JSON object as <typeparamref name="T"/>; anything else (a string, an array, null) as null.</summary>
    internal sealed class ObjectOrNull<T> : JsonConverter<T?> where T : class
    {
        public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            // T's own contract: this converter is on the property, not on T, so this does not come back here.
            if (reader.TokenType == JsonTokenType.StartObject) return JsonSerializer.Deserialize<T>(ref reader, options);
            reader.Skip();
            return null;
        }

        public override void Write(Utf8JsonWriter writer, T? value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value, options);
    }
}
