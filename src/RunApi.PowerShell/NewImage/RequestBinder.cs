using System;
using System.Collections.Generic;
using System.Linq;
using RunApi.Client.Errors;
using RunApi.Client.Models;
using RunApi.Client.Validation;

namespace RunApi.PowerShell.NewImage
{
    /// <summary>The parameters of one New-ImagenImage record (the command line's, or a pipeline row's), prompts aside.</summary>
    internal sealed class RecordParameters
    {
        public string? Model { get; set; }
        public string? AspectRatio { get; set; }
        public string? NegativePrompt { get; set; }
        public long? Seed { get; set; }
        public string? OutputResolution { get; set; }
        public string? OutputFormat { get; set; }
        public Uri? CallbackUri { get; set; }

        /// <summary>The record's source images, if it gave any (they select the remix model).</summary>
        public SourceImages? Sources { get; set; }
    }

    /// <summary>A parameter value no request can be built with: every prompt of its record fails alike.</summary>
    internal sealed class ParameterProblem : Exception
    {
        public ParameterProblem(string parameter, string message) : base(message)
        {
            Parameter = parameter;
        }

        /// <summary>Its name, without the dash.</summary>
        public string Parameter { get; }
    }

    /// <summary>
    /// Turns a record's parameters and each of its prompts into the request to send: the model resolved and its
    /// parameters checked once per record, then one build and one validation per prompt. A failure of the prompt is
    /// that prompt's (<see cref="RunApiException"/>); a failure of any other field is the record's (<see cref="ParameterProblem"/>),
    /// in parameter terms (-AspectRatio, not aspect_ratio).
    /// </summary>
    internal sealed class RequestBinder
    {
        private readonly RecordParameters _values;

        private RequestBinder(RecordParameters values, ImagenVariant variant)
        {
            _values = values;
            Variant = variant;
        }

        public ImagenVariant Variant { get; }

        /// <summary>The record's source images, uploaded when its creates are sent.</summary>
        public SourceImages? Sources => _values.Sources;

        /// <exception cref="ParameterProblem">An unknown model, or a parameter the model cannot take.</exception>
        public static RequestBinder For(RecordParameters values)
        {
            var variant = Resolve(values);
            CheckParametersFor(variant, values);
            return new RequestBinder(values, variant);
        }

        /// <exception cref="ParameterProblem">A value of the record the model does not allow.</exception>
        /// <exception cref="RunApiException">The prompt cannot be sent (a validation error of the prompt).</exception>
        public CreateTaskRequest Bind(string prompt)
        {
            var request = Build(prompt);
            try
            {
                RequestValidator.Validate(request);
            }
            catch (RunApiException ex) when (ex.Field is not null && ex.Field != "prompt")
            {
                // "-AspectRatio: must be one of ...", not "-AspectRatio: -AspectRatio must be one of ...".
                var parameter = ParameterFor(ex.Field);
                var message = InParameterTerms(ex);
                throw new ParameterProblem(parameter.TrimStart('-'),
                    (message.StartsWith(parameter + " ", StringComparison.Ordinal) ? message.Substring(parameter.Length + 1) : message) + ".");
            }
            return request;
        }

        private CreateTaskRequest Build(string prompt)
        {
            var variant = Variant;
            if (variant.RequiresSourceImages)
            {
                // Validated with stand-ins for local files; the uploaded URLs replace them just before the create.
                return new RemixImageRequest(prompt, _values.Sources?.StandInUrls() ?? (IReadOnlyList<string>)Array.Empty<string>(), variant.Name)
                {
                    AspectRatio = Spelled(_values.AspectRatio, variant.AspectRatios),
                    OutputResolution = Spelled(_values.OutputResolution, variant.OutputResolutions),
                    OutputFormat = Spelled(_values.OutputFormat, variant.OutputFormats),
                    CallbackUrl = _values.CallbackUri?.OriginalString,
                };
            }
            return new TextToImageRequest(prompt, variant.Name)
            {
                AspectRatio = Spelled(_values.AspectRatio, variant.AspectRatios),
                NegativePrompt = _values.NegativePrompt,
                Seed = _values.Seed,
                CallbackUrl = _values.CallbackUri?.OriginalString,
            };
        }

        /// <summary>A value in any case, sent in the API's own spelling (4K as 4k, AUTO as auto); unknown values as given, for the check to name.</summary>
        private static string? Spelled(string? value, IEnumerable<string> allowed) =>
            value is null ? null : allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase)) ?? value;

        private static ImagenVariant Resolve(RecordParameters values)
        {
            var name = values.Model ?? (values.Sources is not null ? ImagenVariants.ProRemix : ImagenVariants.Standard);
            return ImagenVariants.All.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase)) ?? throw new ParameterProblem("Model",
                $"'{name}' is not an Imagen 4 model. Use one of: {string.Join(", ", ImagenVariants.All.Select(v => v.Name))}.");
        }

        /// <summary>Parameters the chosen model cannot take at all (values it does not allow are found by the validation).</summary>
        private static void CheckParametersFor(ImagenVariant variant, RecordParameters values)
        {
            if (!variant.SupportsNegativePrompt && values.NegativePrompt is not null) throw new ParameterProblem("NegativePrompt", $"{variant.Name} takes no negative prompt.");
            if (!variant.SupportsSeed && values.Seed.HasValue) throw new ParameterProblem("Seed", $"{variant.Name} takes no seed.");
            if (!variant.RequiresSourceImages && values.Sources is not null)
            {
                throw new ParameterProblem("SourceImage", $"{variant.Name} takes no source images; source images need -Model {ImagenVariants.ProRemix}.");
            }
            if (variant.RequiresSourceImages && values.Sources is null)
            {
                throw new ParameterProblem("SourceImage", $"{variant.Name} remixes source images: give 1 to {variant.MaxSourceImages} with -SourceImage.");
            }
            if (variant.OutputResolutions.Count == 0 && values.OutputResolution is not null) throw new ParameterProblem("OutputResolution", $"{variant.Name} takes no output resolution.");
            if (variant.OutputFormats.Count == 0 && values.OutputFormat is not null) throw new ParameterProblem("OutputFormat", $"{variant.Name} takes no output format.");
        }

        /// <summary>The validator's message with the API field's name replaced by the parameter's (aspect_ratio as -AspectRatio).</summary>
        public static string InParameterTerms(RunApiException ex) =>
            ex.Field is null || ex.Field == "prompt" ? ex.Message : ex.Message.Replace(ex.Field, ParameterFor(ex.Field));

        private static string ParameterFor(string? field)
        {
            switch (field)
            {
                case "model": return "-Model";
                case "aspect_ratio": return "-AspectRatio";
                case "negative_prompt": return "-NegativePrompt";
                case "seed": return "-Seed";
                case "source_image_urls": return "-SourceImage";
                case "output_resolution": return "-OutputResolution";
                case "output_format": return "-OutputFormat";
                case "callback_url": return "-CallbackUri";
                case "idempotency_key": return "-IdempotencyKey";
                default: return "-Prompt";
            }
        }
    }
}
