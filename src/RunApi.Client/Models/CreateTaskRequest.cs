using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace RunApi.Client.Models
{
    /// <summary>
    /// A request that creates one billable task. Serialised compacted, as the SDKs do: null, empty and
    /// whitespace-only strings are left out, zero is kept, as the SDKs send them.
    /// </summary>
    internal abstract class CreateTaskRequest
    {
        protected CreateTaskRequest(string model, string prompt)
        {
            Model = model;
            Prompt = prompt;
        }

        public string Model { get; set; }
        public string Prompt { get; set; }
        public string? AspectRatio { get; set; }
        public string? CallbackUrl { get; set; }

        public abstract TaskEndpoint Endpoint { get; }

        /// <summary>The variant named by <see cref="Model"/>, or null when the name is unknown.</summary>
        public ImagenVariant? Variant => ImagenVariants.Find(Model);

        /// <summary>Price of this call in cents, when the model is known.</summary>
        public virtual int? PriceCents => Variant?.PriceCents;

        /// <summary>The fields as the API names them, after compaction, in alphabetical order.</summary>
        internal IReadOnlyList<KeyValuePair<string, object>> Fields()
        {
            var fields = new SortedDictionary<string, object>(System.StringComparer.Ordinal);
            AddText(fields, "model", Model);
            AddText(fields, "prompt", Prompt);
            AddText(fields, "aspect_ratio", AspectRatio);
            AddText(fields, "callback_url", CallbackUrl);
            AddSpecificFields(fields);
            return new List<KeyValuePair<string, object>>(fields);
        }

        protected abstract void AddSpecificFields(IDictionary<string, object> fields);

        protected static void AddText(IDictionary<string, object> fields, string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) fields[name] = value!;
        }

        /// <summary>The JSON body as it is sent.</summary>
        public string ToJson() => System.Text.Encoding.UTF8.GetString(ToJsonUtf8());

        internal byte[] ToJsonUtf8()
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                foreach (var field in Fields())
                {
                    writer.WritePropertyName(field.Key);
                    switch (field.Value)
                    {
                        case string text: writer.WriteStringValue(text); break;
                        case long number: writer.WriteNumberValue(number); break;
                        case IReadOnlyList<string> list:
                            writer.WriteStartArray();
                            foreach (var item in list) writer.WriteStringValue(item);
                            writer.WriteEndArray();
                            break;
                    }
                }
                writer.WriteEndObject();
            }
            return buffer.ToArray();
        }
    }
}
