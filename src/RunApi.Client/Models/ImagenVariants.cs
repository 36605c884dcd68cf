using System;
using System.Collections.Generic;
using System.Linq;

namespace RunApi.Client.Models
{
    /// <summary>
    /// The catalogue of Imagen 4 variants: the one source for validation, cost estimates and completion.
    /// Prices are those of the RunAPI pricing data (list prices per image, in US cents).
    /// </summary>
    internal static class ImagenVariants
    {
        public const string Standard = "imagen-4";
        public const string Fast = "imagen-4-fast";
        public const string Ultra = "imagen-4-ultra";
        public const string ProRemix = "imagen-4-pro-remix-image";

        private static readonly string[] TextToImageRatios = { "1:1", "16:9", "9:16", "3:4", "4:3" };

        public static readonly IReadOnlyList<ImagenVariant> All = new[]
        {
            new ImagenVariant(Standard, TaskEndpoint.TextToImage, 8, TextToImageRatios,
                "Imagen 4: balanced quality and speed for most prompts.",
                supportsNegativePrompt: true, supportsSeed: true),
            new ImagenVariant(Fast, TaskEndpoint.TextToImage, 4, TextToImageRatios.Concat(new[] { "auto" }).ToArray(),
                "Imagen 4 Fast: the cheapest and quickest; drafts and large batches.",
                supportsNegativePrompt: true, supportsSeed: true),
            new ImagenVariant(Ultra, TaskEndpoint.TextToImage, 12, TextToImageRatios,
                "Imagen 4 Ultra: the highest fidelity and prompt adherence.",
                supportsNegativePrompt: true, supportsSeed: true),
            new ImagenVariant(ProRemix, TaskEndpoint.RemixImage, 18,
                new[] { "1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9", "auto" },
                "Imagen 4 Pro remix: restyles or combines 1 to 8 source images, with resolution and format control.",
                maxSourceImages: 8,
                outputResolutions: new[] { "1k", "2k", "4k" },
                outputFormats: new[] { "png", "jpg" },
                priceCentsByResolution: new Dictionary<string, int> { ["1k"] = 18, ["2k"] = 18, ["4k"] = 24 }),
        };

        /// <summary>The variant with this exact name, or null.</summary>
        public static ImagenVariant? Find(string? name) =>
            All.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.Ordinal));

        /// <summary>Names of the variants served by one endpoint, sorted as the API's messages list them.</summary>
        public static IReadOnlyList<string> NamesFor(TaskEndpoint endpoint) =>
            All.Where(v => v.Endpoint.Equals(endpoint)).Select(v => v.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray();
    }
}
