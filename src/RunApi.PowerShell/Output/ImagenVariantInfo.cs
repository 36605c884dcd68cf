using System.Linq;
using RunApi.Client.Models;

namespace RunApi
{
    /// <summary>An Imagen 4 variant as Get-ImagenVariant shows it.</summary>
    public sealed class ImagenVariantInfo
    {
        internal ImagenVariantInfo(ImagenVariant variant)
        {
            Name = variant.Name;
            Endpoint = variant.Endpoint.Name;
            PriceUsd = variant.PriceCents / 100m;
            MaxPriceUsd = variant.PriceCentsByResolution.Values.DefaultIfEmpty(variant.PriceCents).Max() / 100m;
            AspectRatios = variant.AspectRatios.ToArray();
            SupportsNegativePrompt = variant.SupportsNegativePrompt;
            SupportsSeed = variant.SupportsSeed;
            SupportsSourceImages = variant.RequiresSourceImages;
            MaxSourceImages = variant.MaxSourceImages;
            OutputResolutions = variant.OutputResolutions.ToArray();
            OutputFormats = variant.OutputFormats.ToArray();
            Description = variant.Description;
        }

        public string Name { get; }
        public string Endpoint { get; }

        /// <summary>US dollars per call at the default resolution.</summary>
        public decimal PriceUsd { get; }

        /// <summary>US dollars per call at the most expensive resolution (remix at 4k).</summary>
        public decimal MaxPriceUsd { get; }

        public string[] AspectRatios { get; }
        public bool SupportsNegativePrompt { get; }
        public bool SupportsSeed { get; }
        public bool SupportsSourceImages { get; }
        public int MaxSourceImages { get; }
        public string[] OutputResolutions { get; }
        public string[] OutputFormats { get; }
        public string Description { get; }

        public override string ToString() => Name;
    }
}
