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
using RunApi.PowerShell.Completion;
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

        private SemaphoreSlim _throttle = null!;
        private string? _outputDirectory;
        private SourceImages? _sources;
        private HashSet<string> _commandLineParameters = null!;
        private int _promptCount;
        private int _estimatedCents;

        // Set by the first create the API refuses for the key or the credits: later prompts are then not sent, since
        // they would be refused alike, and each is reported by name instead.
        private volatile RunApiException? _refusal;
        private readonly SortedSet<string> _models = new SortedSet<string>(StringComparer.Ordinal);

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string[] Prompt { get; set; } = Array.Empty<string>();

        /// <summary>imagen-4 (default), imagen-4-fast, imagen-4-ultra, or imagen-4-pro-remix-image (default with -SourceImage).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModelCompleter))]
        [BlankAsNull]
        public string? Model { get; set; }

        /// <summary>One of the ratios the model allows (Get-ImagenVariant lists them).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(AspectRatioCompleter))]
        [BlankAsNull]
        public string? AspectRatio { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsNull]
        public string? NegativePrompt { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsNull]
        public long? Seed { get; set; }

        /// <summary>1 to 8 source images: public URLs or local image files (uploaded for you); selects the remix model.</summary>
        [Parameter]
        public string[]? SourceImage { get; set; }

        /// <summary>Remix only: 1k, 2k or 4k (4k costs more).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(RemixOptionCompleter))]
        public string? OutputResolution { get; set; }

        /// <summary>Remix only: png or jpg.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(RemixOptionCompleter))]
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
            // Parameters given on the command line hold for every prompt. Those bound from pipeline rows can differ per
            // row, so a bad row only fails its own prompts (see RowParametersInPlay).
            _commandLineParameters = new HashSet<string>(MyInvocation.BoundParameters.Keys, StringComparer.OrdinalIgnoreCase);
            if (OutputDirectory is not null) _outputDirectory = SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutputDirectory);
            if (SourceImage is { Length: > 0 })
            {
                try
                {
                    _sources = SourceImages.From(SourceImage, SessionState.Path.GetUnresolvedProviderPathFromPSPath);
                }
                catch (ArgumentException ex)
                {
                    ThrowTerminatingError(ErrorRecords.InvalidArgument("RunApiInvalidParameter", "-SourceImage: " + ex.Message, SourceImage));
                }
            }
            _throttle = new SemaphoreSlim(ThrottleLimit);
        }

        protected override void ProcessRecord()
        {
            ImagenVariant variant;
            try
            {
                variant = ResolveVariant();
                CheckParametersFor(variant);
            }
            catch (ParameterProblem problem)
            {
                var message = $"-{problem.Parameter}: {problem.Message}";
                if (!RowParametersInPlay())
                {
                    ThrowTerminatingError(ErrorRecords.InvalidArgument("RunApiInvalidParameter", message, problem.Parameter));
                }
                foreach (var prompt in Prompt)
                {
                    WriteError(ErrorRecords.InvalidArgument("RunApiInvalidParameter", $"Prompt '{Shorten(prompt)}' was not submitted: {message}", prompt));
                }
                return;
            }

            foreach (var prompt in Prompt)
            {
                _promptCount++;
                SubmitPrompt(prompt, variant);
            }
            Work.RunReady();
        }

        /// <summary>
        /// True when this record's parameters (other than the prompt) came from a pipeline row: then a bad value is that
        /// row's fault. Otherwise every record would fail alike, so the call ends before anything is sent.
        /// </summary>
        private bool RowParametersInPlay() =>
            MyInvocation.BoundParameters.Keys.Any(name =>
                !_commandLineParameters.Contains(name) && !string.Equals(name, nameof(Prompt), StringComparison.OrdinalIgnoreCase));

        protected override void EndProcessing()
        {
            if (MyInvocation.BoundParameters.ContainsKey("WhatIf") && _promptCount > 1)
            {
                ShouldProcess($"{_promptCount} prompts",
                    $"Create {_promptCount} {string.Join(" and ", _models)} tasks ({_promptCount} images) for an estimated {FormatUsd(_estimatedCents)} in all");
            }
            base.EndProcessing();
        }

        private void SubmitPrompt(string prompt, ImagenVariant variant)
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
                request = BuildRequest(prompt, variant);
                RequestValidator.Validate(request);
            }
            catch (RunApiException ex)
            {
                WriteError(ErrorRecords.InvalidArgument("RunApiInvalidPrompt",
                    $"Prompt '{Shorten(prompt)}' was not submitted: {ex.Message} ({ParameterFor(ex.Field)}).", prompt));
                return;
            }

            var cents = request.PriceCents ?? 0;
            _estimatedCents += cents;
            _models.Add(variant.Name);
            if (!ShouldProcess($"prompt '{Shorten(prompt)}'", $"Create 1 {variant.Name} task (1 image, estimated {FormatUsd(cents)})"))
            {
                return;
            }

            var client = Client;
            var downloader = _outputDirectory is null ? null : new ImageDownloader(ClientOptions());
            var progress = ParameterSetName == CreateOnly ? null : Progress(1, "Generating images");
            progress?.Add();
            var waitTimeout = TimeSpan.FromSeconds(TimeoutSec);
            Work.Start(async token =>
            {
                await _throttle.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    ThrowIfRefusedEarlier();
                    if (request is RemixImageRequest remix && _sources is not null)
                    {
                        remix.UseSourceImages(await _sources.ResolveAsync(client, token).ConfigureAwait(false));
                    }
                    CreatedTask created;
                    try
                    {
                        created = await client.CreateAsync(request, IdempotencyKey, token).ConfigureAwait(false);
                    }
                    catch (RunApiException error) when (error.Kind == RunApiErrorKind.Authentication || error.Kind == RunApiErrorKind.InsufficientCredits)
                    {
                        _refusal ??= error;
                        throw;
                    }
                    var task = ImagenTask.FromCreated(created);
                    if (ParameterSetName == CreateOnly)
                    {
                        Work.Post(() => WriteObject(task));
                        return;
                    }
                    var done = await client.WaitAsync(created, new WaitOptions { Timeout = waitTimeout }, token).ConfigureAwait(false);
                    var completed = ImagenTask.FromResponse(done, created.Endpoint, task, client.TimeProvider.GetUtcNow());
                    if (downloader is null)
                    {
                        Work.Post(() => WriteObject(completed));
                    }
                    else
                    {
                        await SaveAsync(downloader, completed, token).ConfigureAwait(false);
                    }
                    Work.Post(() => progress!.Succeeded());
                }
                finally
                {
                    _throttle.Release();
                }
            }, failure =>
            {
                progress?.Failed();
                WriteError(PromptError(failure, prompt));
            });
        }

        private void ThrowIfRefusedEarlier()
        {
            var refusal = _refusal;
            if (refusal is null) return;
            throw new RunApiException(refusal.Kind,
                $"Not submitted: RunAPI refused an earlier create of this call ({refusal.ServiceMessage ?? refusal.Message}), " +
                "so this prompt was not sent.");
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
            record.ErrorDetails = ErrorRecords.Details($"Prompt '{Shorten(prompt)}'{taskPart}: {failure.Message}", action);
            return record;
        }

        private CreateTaskRequest BuildRequest(string prompt, ImagenVariant variant)
        {
            if (variant.RequiresSourceImages)
            {
                // Validated with stand-ins for local files; the uploaded URLs replace them just before the create.
                return new RemixImageRequest(prompt, _sources?.StandInUrls() ?? (IReadOnlyList<string>)Array.Empty<string>(), variant.Name)
                {
                    AspectRatio = AspectRatio,
                    OutputResolution = OutputResolution,
                    OutputFormat = OutputFormat,
                    CallbackUrl = CallbackUri?.OriginalString,
                };
            }
            return new TextToImageRequest(prompt, variant.Name)
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
            return ImagenVariants.Find(name) ?? throw new ParameterProblem("Model",
                $"'{name}' is not an Imagen 4 model. Use one of: {string.Join(", ", ImagenVariants.All.Select(v => v.Name))}.");
        }

        /// <summary>Parameters the chosen model cannot take, and values it does not allow.</summary>
        private void CheckParametersFor(ImagenVariant variant)
        {
            if (!variant.SupportsNegativePrompt && NegativePrompt is not null) throw new ParameterProblem("NegativePrompt", $"{variant.Name} takes no negative prompt.");
            if (!variant.SupportsSeed && Seed.HasValue) throw new ParameterProblem("Seed", $"{variant.Name} takes no seed.");
            if (!variant.RequiresSourceImages && SourceImage is { Length: > 0 })
            {
                throw new ParameterProblem("SourceImage", $"{variant.Name} takes no source images; source images need -Model {ImagenVariants.ProRemix}.");
            }
            if (variant.RequiresSourceImages && SourceImage is not { Length: > 0 })
            {
                throw new ParameterProblem("SourceImage", $"{variant.Name} remixes source images: give 1 to {variant.MaxSourceImages} with -SourceImage.");
            }
            if (variant.OutputResolutions.Count == 0 && OutputResolution is not null) throw new ParameterProblem("OutputResolution", $"{variant.Name} takes no output resolution.");
            if (variant.OutputFormats.Count == 0 && OutputFormat is not null) throw new ParameterProblem("OutputFormat", $"{variant.Name} takes no output format.");

            // Everything but the prompt is the same for every prompt of the record: check it once, with a stand-in prompt.
            try
            {
                RequestValidator.Validate(BuildRequest("-", variant));
            }
            catch (RunApiException ex)
            {
                throw new ParameterProblem(ParameterFor(ex.Field).TrimStart('-'), ex.Message + ".");
            }
        }

        /// <summary>A parameter value the request cannot be built with.</summary>
        private sealed class ParameterProblem : Exception
        {
            public ParameterProblem(string parameter, string message) : base(message)
            {
                Parameter = parameter;
            }

            public string Parameter { get; }
        }

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
