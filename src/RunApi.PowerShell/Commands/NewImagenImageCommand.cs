using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using RunApi.Client.Downloads;
using RunApi.Client.Errors;
using RunApi.Client.Models;
using RunApi.Client.Polling;
using RunApi.Client.Validation;
using RunApi.PowerShell.Infrastructure;

namespace RunApi.PowerShell.Commands
{
    /// <summary>Creates one Imagen task per prompt; optionally waits for them and saves their images.</summary>
    [Cmdlet(VerbsCommon.New, "ImagenImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = CreateOnly)]
    [OutputType(typeof(ImagenTask), ParameterSetName = new[] { CreateOnly, WaitSet })]
    [OutputType(typeof(FileInfo), ParameterSetName = new[] { SaveSet })]
    public sealed class NewImagenImageCommand : ApiCmdlet
    {
        private const string CreateOnly = "Create";
        private const string WaitSet = "Wait";
        private const string SaveSet = "Save";

        private ImagenVariant _variant = null!;
        private SemaphoreSlim _throttle = null!;
        private string? _outputDirectory;
        private int _promptCount;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string[] Prompt { get; set; } = Array.Empty<string>();

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Model { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? AspectRatio { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? NegativePrompt { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public long? Seed { get; set; }

        /// <summary>Public URLs of 1 to 8 source images; selects the remix model.</summary>
        [Parameter]
        public string[]? SourceImage { get; set; }

        [Parameter]
        public string? OutputResolution { get; set; }

        [Parameter]
        public string? OutputFormat { get; set; }

        [Parameter]
        public Uri? CallbackUri { get; set; }

        /// <summary>Sent with the create; the same key with the same input returns the same task, never a second charge.</summary>
        [Parameter]
        [ValidateLength(1, 512)]
        public string? IdempotencyKey { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = WaitSet)]
        public SwitchParameter Wait { get; set; }

        /// <summary>Waits for each task and saves its images here, emitting the files.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SaveSet)]
        public string? OutputDirectory { get; set; }

        [Parameter(ParameterSetName = WaitSet)]
        [Parameter(ParameterSetName = SaveSet)]
        [ValidateRange(1, 86400)]
        public int TimeoutSec { get; set; } = (int)WaitOptions.DefaultTimeout.TotalSeconds;

        [Parameter(ParameterSetName = SaveSet)]
        public SwitchParameter Force { get; set; }

        [Parameter]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; } = 8;

        protected override void BeginProcessing()
        {
            _variant = ResolveVariant();
            RefuseUnsupportedParameters();
            if (OutputDirectory is not null) _outputDirectory = SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutputDirectory);
            _throttle = new SemaphoreSlim(ThrottleLimit);
        }

        protected override void ProcessRecord()
        {
            foreach (var prompt in Prompt)
            {
                _promptCount++;
                SubmitPrompt(prompt);
            }
            Work.RunReady();
        }

        protected override void EndProcessing()
        {
            if (MyInvocation.BoundParameters.ContainsKey("WhatIf") && _promptCount > 1)
            {
                var cents = _variant.PriceCentsFor(OutputResolution) * _promptCount;
                ShouldProcess($"{_promptCount} prompts",
                    $"Create {_promptCount} {_variant.Name} tasks ({_promptCount} images) for an estimated {FormatUsd(cents)} in all");
            }
            base.EndProcessing();
        }

        private void SubmitPrompt(string prompt)
        {
            if (IdempotencyKey is not null && _promptCount > 1)
            {
                WriteError(ErrorRecords.InvalidArgument("RunApiIdempotencyKeyReused",
                    $"Prompt '{Shorten(prompt)}' was not submitted: -IdempotencyKey identifies a single create, and it was used " +
                    "for an earlier prompt of this call. Leave it out for batches: each prompt then gets its own key.", prompt));
                return;
            }

            CreateTaskRequest request;
            try
            {
                request = BuildRequest(prompt);
                RequestValidator.Validate(request);
            }
            catch (RunApiException ex)
            {
                WriteError(ErrorRecords.InvalidArgument("RunApiInvalidPrompt",
                    $"Prompt '{Shorten(prompt)}' was not submitted: {ex.Message} ({ParameterFor(ex.Field)}).", prompt));
                return;
            }

            var cents = request.PriceCents ?? 0;
            if (!ShouldProcess($"prompt '{Shorten(prompt)}'", $"Create 1 {_variant.Name} task (1 image, estimated {FormatUsd(cents)})"))
            {
                return;
            }

            var client = Client;
            var downloader = _outputDirectory is null ? null : new ImageDownloader(ClientOptions());
            var waitOptions = new WaitOptions { Timeout = TimeSpan.FromSeconds(TimeoutSec) };
            Work.Start(async token =>
            {
                await _throttle.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    var created = await client.CreateAsync(request, IdempotencyKey, token).ConfigureAwait(false);
                    var task = ImagenTask.FromCreated(created);
                    if (ParameterSetName == CreateOnly)
                    {
                        Work.Post(() => WriteObject(task));
                        return;
                    }
                    var done = await client.WaitAsync(created.Endpoint, created.Id, waitOptions, cancellationToken: token).ConfigureAwait(false);
                    var completed = ImagenTask.FromResponse(done, created.Endpoint, task, client.TimeProvider.GetUtcNow());
                    if (downloader is null)
                    {
                        Work.Post(() => WriteObject(completed));
                        return;
                    }
                    await SaveAsync(downloader, completed, token).ConfigureAwait(false);
                }
                finally
                {
                    _throttle.Release();
                }
            }, failure => WriteError(PromptError(failure, prompt)));
        }

        private async Task SaveAsync(ImageDownloader downloader, ImagenTask task, CancellationToken token)
        {
            foreach (var image in task.Images)
            {
                var target = DownloadTarget.InDirectory(_outputDirectory!, ImageFileNames.For(image), Force);
                var saved = await downloader.DownloadAsync(new Uri(image.Url), target, token).ConfigureAwait(false);
                Work.Post(() => WriteObject(new FileInfo(saved.Path)));
            }
        }

        private ErrorRecord PromptError(Exception failure, string prompt)
        {
            var record = ErrorRecords.From(failure, prompt);
            var taskPart = failure is RunApiException { TaskId: not null } api ? $" (task {api.TaskId})" : string.Empty;
            var action = record.ErrorDetails?.RecommendedAction;
            record.ErrorDetails = new ErrorDetails($"Prompt '{Shorten(prompt)}'{taskPart}: {failure.Message}") { RecommendedAction = action };
            return record;
        }

        private CreateTaskRequest BuildRequest(string prompt)
        {
            if (_variant.RequiresSourceImages)
            {
                return new RemixImageRequest(prompt, SourceImage ?? Array.Empty<string>(), _variant.Name)
                {
                    AspectRatio = AspectRatio,
                    OutputResolution = OutputResolution,
                    OutputFormat = OutputFormat,
                    CallbackUrl = CallbackUri?.OriginalString,
                };
            }
            return new TextToImageRequest(prompt, _variant.Name)
            {
                AspectRatio = AspectRatio,
                NegativePrompt = NegativePrompt,
                Seed = Seed,
                CallbackUrl = CallbackUri?.OriginalString,
            };
        }

        private ImagenVariant ResolveVariant()
        {
            var name = Model ?? (SourceImage is { Length: > 0 } ? ImagenVariants.ProRemix : ImagenVariants.Standard);
            var variant = ImagenVariants.Find(name);
            if (variant is null)
            {
                Refuse("Model", $"'{name}' is not an Imagen 4 model. Use one of: {string.Join(", ", ImagenVariants.All.Select(v => v.Name))}.");
            }
            return variant!;
        }

        /// <summary>Parameters the chosen model cannot take end the command before anything is sent.</summary>
        private void RefuseUnsupportedParameters()
        {
            if (!_variant.SupportsNegativePrompt && NegativePrompt is not null) Refuse("NegativePrompt", $"{_variant.Name} takes no negative prompt.");
            if (!_variant.SupportsSeed && Seed.HasValue) Refuse("Seed", $"{_variant.Name} takes no seed.");
            if (!_variant.RequiresSourceImages && SourceImage is { Length: > 0 })
            {
                Refuse("SourceImage", $"{_variant.Name} takes no source images; source images need -Model {ImagenVariants.ProRemix}.");
            }
            if (_variant.RequiresSourceImages && SourceImage is not { Length: > 0 })
            {
                Refuse("SourceImage", $"{_variant.Name} remixes source images: give 1 to {_variant.MaxSourceImages} with -SourceImage.");
            }
            if (_variant.OutputResolutions.Count == 0 && OutputResolution is not null) Refuse("OutputResolution", $"{_variant.Name} takes no output resolution.");
            if (_variant.OutputFormats.Count == 0 && OutputFormat is not null) Refuse("OutputFormat", $"{_variant.Name} takes no output format.");

            // Everything but the prompt is the same for every prompt: check it once, with a stand-in prompt.
            try
            {
                RequestValidator.Validate(BuildRequest("-"));
            }
            catch (RunApiException ex)
            {
                Refuse(ParameterFor(ex.Field).TrimStart('-'), ex.Message + ".");
            }
        }

        private void Refuse(string parameter, string message) =>
            ThrowTerminatingError(ErrorRecords.InvalidArgument("RunApiInvalidParameter", $"-{parameter}: {message}", parameter));

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

        internal static string FormatUsd(int cents) => (cents / 100m).ToString("$0.00", CultureInfo.InvariantCulture);

        internal static string Shorten(string? text)
        {
            var flat = (text ?? string.Empty).Replace('\r', ' ').Replace('\n', ' ');
            return flat.Length <= 60 ? flat : flat.Substring(0, 57) + "...";
        }
    }
}
