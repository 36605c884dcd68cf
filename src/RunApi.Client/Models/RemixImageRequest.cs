using System.Collections.Generic;
using System.Linq;

namespace RunApi.Client.Models
{
    /// <summary>POST /api/v1/imagen_4/remix_image. Takes no negative prompt and no seed.</summary>
    internal sealed class RemixImageRequest : CreateTaskRequest
    {
        public RemixImageRequest(string prompt, IEnumerable<string> sourceImageUrls, string model = ImagenVariants.ProRemix)
            : base(model, prompt)
        {
            SourceImageUrls = sourceImageUrls.ToList();
        }

        /// <summary>Public URLs of 1 to 8 source images.</summary>
        public IReadOnlyList<string> SourceImageUrls { get; private set; }

        /// <summary>Replaces the source images, e.g. stand-ins by the URLs of uploaded files.</summary>
        public void UseSourceImages(IEnumerable<string> urls) => SourceImageUrls = urls.ToList();

        /// <summary>1k, 2k or 4k (lowercase only).</summary>
        public string? OutputResolution { get; set; }

        /// <summary>png or jpg.</summary>
        public string? OutputFormat { get; set; }

        public override TaskEndpoint Endpoint => TaskEndpoint.RemixImage;

        public override int? PriceCents => Variant?.PriceCentsFor(OutputResolution);

        protected override void AddSpecificFields(IDictionary<string, object> fields)
        {
            AddText(fields, "output_resolution", OutputResolution);
            AddText(fields, "output_format", OutputFormat);
            // An empty list counts as absent, like a blank string.
            if (SourceImageUrls.Count > 0) fields["source_image_urls"] = (IReadOnlyList<string>)SourceImageUrls.ToList();
        }
    }
}
