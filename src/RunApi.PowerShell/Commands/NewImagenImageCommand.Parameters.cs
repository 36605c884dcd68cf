using System;
using System.IO;
using System.Management.Automation;
using RunApi.Client;
using RunApi.Client.Batches;
using RunApi.PowerShell.Cmdlets;
using RunApi.PowerShell.Files;
using RunApi.PowerShell.Parameters;

namespace RunApi.PowerShell.Commands
{
    /// <summary>
    /// Creates one Imagen task per prompt; optionally waits for them and saves their images. This file is the command's
    /// surface: its name, parameter sets, outputs and parameters (its help is docs/New-ImagenImage.md); the work is in
    /// NewImagenImageCommand.cs.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "ImagenImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = CreateOnly)]
    [OutputType(typeof(ImagenTask), ParameterSetName = new[] { CreateOnly, WaitSet })]
    [OutputType(typeof(FileInfo), ParameterSetName = new[] { SaveSet })]
    public sealed partial class NewImagenImageCommand : ApiCmdlet
    {
        private const string CreateOnly = "Create";
        private const string WaitSet = "Wait";
        private const string SaveSet = "Save";

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

        /// <summary>
        /// 1 to 8 source images: public URLs or local image files (uploaded for you); selects the remix model. Piped
        /// files (Get-ChildItem, Save-ImagenImage) bind by FullName: one remix per file.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [SupportsWildcards]
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
        [Alias("Destination")] // the name Copy-Item and Save-Module use
        public string? OutputDirectory { get; set; }

        [Parameter(ParameterSetName = WaitSet)]
        [Parameter(ParameterSetName = SaveSet)]
        [ValidateRange(1, 86400)]
        public int TimeoutSec { get; set; } = (int)WaitOptions.DefaultTimeout.TotalSeconds;

        internal override TimeSpan? RateLimitPatience => TimeSpan.FromSeconds(TimeoutSec);

        [Parameter(ParameterSetName = SaveSet)]
        public SwitchParameter Force { get; set; }

        /// <summary>Save the bytes exactly as served, without the provenance text otherwise written into PNG and JPEG files.</summary>
        [Parameter(ParameterSetName = SaveSet)]
        public SwitchParameter NoMetadata { get; set; }

        /// <summary>The most this call may spend, in US dollars: a create that would take the estimate past it is not sent.</summary>
        [Parameter]
        [ValidatePositiveUsd(nameof(MaxCostUsd))]
        public decimal? MaxCostUsd { get; set; }

        /// <summary>How files are named, from tokens such as {Row}, {Prompt}, {TaskId}; default {TaskId}_{Index}.</summary>
        [Parameter(ParameterSetName = SaveSet)]
        [ValidateNotNullOrEmpty]
        public string? FileNameTemplate { get; set; }

        /// <summary>The largest image kept, in MB; a larger body is refused (default 200).</summary>
        [Parameter(ParameterSetName = SaveSet)]
        [ValidateRange(1, 4096)]
        public int MaxImageSizeMB { get; set; } = (int)(RunApi.Client.RunApiClientOptions.DefaultMaxImageBytes >> 20);

        /// <summary>
        /// Creates in flight at once. A create holds its place only until RunAPI answers it, not while the task
        /// generates: any number of tasks are waited for, and downloads have places of their own.
        /// </summary>
        [Parameter]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; } = BatchSettings.DefaultCreateLimit;

        /// <summary>
        /// A journal of the batch (JSON lines): running the same command again with it resumes the batch without paying
        /// twice. Created if it does not exist; its folder must.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? JournalPath { get; set; }

        /// <summary>
        /// A time box: no create is sent after it, paid tasks are waited for and saved for a short grace past it, then the
        /// command ends; the rest stays in the job (CutOff) for Resume-ImagenJob.
        /// </summary>
        [Parameter]
        [ValidateDuration(nameof(MaxDuration))]
        public TimeSpan? MaxDuration { get; set; }

        /// <summary>The job's name (Get-ImagenJob -Name); default: the time and the input.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? JobName { get; set; }
    }
}
