using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace RunApi
{
    /// <summary>
    /// JSON the service sent, as PowerShell shows it. An object becomes a PSObject with a property per field, in the
    /// order sent (so <c>$task.Extra.custom</c> works and ConvertTo-Json writes it back), whose text is the JSON it came
    /// as (<see cref="ServiceFields"/>); an array an array; a number a long when whole and a decimal otherwise (every
    /// digit kept), as ConvertFrom-Json reads them.
    /// </summary>
    internal static class JsonValues
    {
        /// <summary>The fields as one object; null when there are none.</summary>
        public static PSObject? ToObject(IEnumerable<KeyValuePair<string, JsonElement>>? fields)
        {
            var list = fields?.ToList();
            if (list is null || list.Count == 0) return null;
            var result = new PSObject(new ServiceFields(Json(list)));
            foreach (var field in list) Set(result, field.Key, ToValue(field.Value));
            return result;
        }

        public static object? ToValue(JsonElement value)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    return ToObject(value.EnumerateObject().Select(p => new KeyValuePair<string, JsonElement>(p.Name, p.Value)))
                        ?? new PSObject(new ServiceFields("{}"));
                case JsonValueKind.Array:
                    return value.EnumerateArray().Select(ToValue).ToArray();
                case JsonValueKind.String:
                    return value.GetString();
                case JsonValueKind.Number:
                    if (value.TryGetInt64(out var whole)) return whole;
                    if (value.TryGetDecimal(out var exact)) return exact;
                    return value.GetDouble();
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                default:
                    return null;
            }
        }

        // PowerShell's names are not case-sensitive, JSON's are: of "a" and "A" (or "a" twice) the last one sent is kept,
        // rather than failing the whole task over fields the module does not use. The text keeps both.
        private static void Set(PSObject target, string name, object? value)
        {
            if (target.Properties[name] is not null) target.Properties.Remove(name);
            target.Properties.Add(new PSNoteProperty(name, value));
        }

        private static string Json(IEnumerable<KeyValuePair<string, JsonElement>> fields)
        {
            using var buffer = new MemoryStream();
            // Text to read, not to embed in HTML: accents and < stay as they are.
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartObject();
                foreach (var field in fields)
                {
                    writer.WritePropertyName(field.Key);
                    field.Value.WriteTo(writer);
                }
                writer.WriteEndObject();
            }
            return Encoding.UTF8.GetString(buffer.ToArray());
        }
    }

    /// <summary>
    /// Fields RunAPI sent and the module keeps as sent. Each is a property of the object PowerShell shows
    /// (<c>$task.Extra.custom</c>); as text (a table cell, Export-Csv) they are compact JSON, so nothing nested is lost
    /// and <c>ConvertFrom-Json</c> reads a CSV cell back.
    /// </summary>
    public sealed class ServiceFields
    {
        private readonly string _json;

        internal ServiceFields(string json) => _json = json;

        public override string ToString() => _json;
    }
}
