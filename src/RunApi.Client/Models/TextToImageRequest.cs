using System.Collections.Generic;

namespace RunApi.Client.Models
{
    /// <summary>POST /api/v1/imagen_4/text_to_image: prompt, model, aspect ratio, negative prompt, seed, callback URL.</summary>
    internal sealed class TextToImageRequest : CreateTaskRequest
    {
        public TextToImageRequest(string prompt, string model = ImagenVariants.Standard) : base(model, prompt)
        {
        }

        public string? NegativePrompt { get; set; }

        /// <summary>Sent as a JSON integer; the API publishes no range.</summary>
        public long? Seed { get; set; }

        public override TaskEndpoint Endpoint => TaskEndpoint.TextToImage;

        protected override void AddSpecificFields(IDictionary<string, object> fields)
        {
            AddText(fields, "negative_prompt", NegativePrompt);
            if (Seed.HasValue) fields["seed"] = Seed.Value;
        }
    }
}
