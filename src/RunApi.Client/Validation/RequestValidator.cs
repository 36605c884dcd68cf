using System;
using System.Linq;
using RunApi.Client.Errors;
using RunApi.Client.Models;

namespace RunApi.Client.Validation
{
    /// <summary>
    /// The checks the RunAPI SDKs make before a create is sent, with their wording, so that bad input
    /// fails before any money is at stake. Order as in the Go SDK: the model first, then each field in alphabetical
    /// order, each checked for required, then allowed values, then counts. The first failure is reported.
    /// </summary>
    internal static class RequestValidator
    {
        public const int MaxSourceImages = 8;

        /// <summary>Throws a <see cref="RunApiErrorKind.Validation"/> error naming the field at fault.</summary>
        public static void Validate(CreateTaskRequest request)
        {
            if (request is null) throw new ArgumentNullException(nameof(request));

            var variant = request.Variant;
            if (variant is null || !variant.Endpoint.Equals(request.Endpoint))
            {
                Fail("model", "model must be one of: " + string.Join(", ", ImagenVariants.NamesFor(request.Endpoint)));
            }

            if (!IsBlank(request.AspectRatio) && !variant!.AllowsAspectRatio(request.AspectRatio!))
            {
                Fail("aspect_ratio", "aspect_ratio must be one of: " + string.Join(", ", variant.AspectRatios));
            }

            if (!IsBlank(request.CallbackUrl) && !IsWebUrl(request.CallbackUrl!))
            {
                // Not in the SDKs: a malformed webhook would only surface after the task was paid for.
                Fail("callback_url", "callback_url must be an absolute http or https URL");
            }

            switch (request)
            {
                case TextToImageRequest:
                    RequirePrompt(request);
                    break;
                case RemixImageRequest remix:
                    CheckRemix(remix, variant!);
                    break;
            }
        }

        private static void CheckRemix(RemixImageRequest remix, ImagenVariant variant)
        {
            if (!IsBlank(remix.OutputFormat) && !variant.OutputFormats.Contains(remix.OutputFormat!, StringComparer.Ordinal))
            {
                Fail("output_format", "output_format must be one of: " + string.Join(", ", variant.OutputFormats));
            }
            if (!IsBlank(remix.OutputResolution) && !variant.OutputResolutions.Contains(remix.OutputResolution!, StringComparer.Ordinal))
            {
                Fail("output_resolution", "output_resolution must be one of: " + string.Join(", ", variant.OutputResolutions));
            }

            RequirePrompt(remix);

            if (remix.SourceImageUrls.Count == 0)
            {
                Fail("source_image_urls", "source_image_urls is required");
            }
            if (remix.SourceImageUrls.Count > MaxSourceImages)
            {
                Fail("source_image_urls", $"source_image_urls must contain between 1 and {MaxSourceImages} items");
            }
            var bad = remix.SourceImageUrls.FirstOrDefault(u => IsBlank(u) || !IsWebUrl(u));
            if (bad is not null)
            {
                Fail("source_image_urls", $"source_image_urls must contain only absolute http or https URLs ('{bad}' is not one)");
            }
        }

        private static void RequirePrompt(CreateTaskRequest request)
        {
            // No length limit: the 5000/10000 figures appear only in Go help text and no contract enforces them;
            // refusing long prompts here could block requests the service accepts.
            if (IsBlank(request.Prompt)) Fail("prompt", "prompt is required");
        }

        private static bool IsBlank(string? value) => string.IsNullOrWhiteSpace(value);

        private static bool IsWebUrl(string value) =>
            Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) &&
            (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

        private static void Fail(string field, string message) =>
            throw new RunApiException(RunApiErrorKind.Validation, message) { Field = field, ServiceMessage = message };
    }
}
