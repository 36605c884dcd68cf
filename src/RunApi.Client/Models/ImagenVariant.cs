using System;
using System.Collections.Generic;
using System.Linq;

namespace RunApi.Client.Models
{
    /// <summary>What one Imagen 4 model variant accepts and costs.</summary>
    internal sealed class ImagenVariant
    {
        internal ImagenVariant(
            string name, TaskEndpoint endpoint, int priceCents, IReadOnlyList<string> aspectRatios, string description,
            bool supportsNegativePrompt = false, bool supportsSeed = false, int maxSourceImages = 0,
            IReadOnlyList<string>? outputResolutions = null, IReadOnlyList<string>? outputFormats = null,
            IReadOnlyDictionary<string, int>? priceCentsByResolution = null)
        {
            Name = name;
            Endpoint = endpoint;
            PriceCents = priceCents;
            AspectRatios = aspectRatios;
            Description = description;
            SupportsNegativePrompt = supportsNegativePrompt;
            SupportsSeed = supportsSeed;
            MaxSourceImages = maxSourceImages;
            OutputResolutions = outputResolutions ?? Array.Empty<string>();
            OutputFormats = outputFormats ?? Array.Empty<string>();
            PriceCentsByResolution = priceCentsByResolution ?? new Dictionary<string, int>();
        }

        public string Name { get; }
        public TaskEndpoint Endpoint { get; }

        /// <summary>Price of one call in US cents, at the default resolution.</summary>
        public int PriceCents { get; }

        /// <summary>Prices that differ by output resolution (remix: 4k costs more).</summary>
        public IReadOnlyDictionary<string, int> PriceCentsByResolution { get; }

        public IReadOnlyList<string> AspectRatios { get; }
        public string Description { get; }
        public bool SupportsNegativePrompt { get; }
        public bool SupportsSeed { get; }

        /// <summary>0 for text-to-image variants; the remix variant takes 1 to this many source images.</summary>
        public int MaxSourceImages { get; }

        public bool RequiresSourceImages => MaxSourceImages > 0;
        public IReadOnlyList<string> OutputResolutions { get; }
        public IReadOnlyList<string> OutputFormats { get; }

        /// <summary>The price of one call in cents for the given output resolution (null: the default).</summary>
        public int PriceCentsFor(string? outputResolution) =>
            outputResolution is not null && PriceCentsByResolution.TryGetValue(outputResolution, out var cents) ? cents : PriceCents;

        public bool AllowsAspectRatio(string ratio) => AspectRatios.Contains(ratio, StringComparer.Ordinal);

        public override string ToString() => Name;
    }
}
