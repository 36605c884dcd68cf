using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using RunApi.Client.Batches;
using RunApi.Client.Downloads;
using RunApi.Client.Errors;
using RunApi.Client.Journal;
using RunApi.Client.Models;
using RunApi.Client;
using RunApi.Client.Validation;
using RunApi.PowerShell.Completion;
using RunApi.PowerShell.Infrastructure;
using RunApi.PowerShell.NewImage;

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

        private string? _outputDirectory;
        private SourceImages? _sources;
        private HashSet<string> _commandLineParameters = null!;
        private CostPlan _money = new CostPlan(null);
        private JournalSession? _journal;
        private RunApiException? _keyRefused;

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

        // Source images bound from a pipeline row, by the request they belong to (uploaded when that create is sent).
        private readonly System.Runtime.CompilerServices.ConditionalWeakTable<CreateTaskRequest, SourceImages> _rowSources =
            new System.Runtime.CompilerServices.ConditionalWeakTable<CreateTaskRequest, SourceImages>();

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

        private FileNameTemplate? _template;
        private readonly NameClaims _claims = new NameClaims();

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

        private bool WhatIf => MyInvocation.BoundParameters.ContainsKey("WhatIf");

        private BatchGoal Goal => ParameterSetName == SaveSet ? BatchGoal.Save : ParameterSetName == WaitSet ? BatchGoal.Complete : BatchGoal.Create;

        protected override void BeginProcessing()
        {
            // Parameters given on the command line hold for every prompt. Those bound from pipeline rows can differ per
            // row, so a bad row only fails its own prompts (see RowParametersInPlay).
            _commandLineParameters = new HashSet<string>(MyInvocation.BoundParameters.Keys, StringComparer.OrdinalIgnoreCase);
            _money = new CostPlan(MaxCostUsd);
            if (OutputDirectory is not null) _outputDirectory = OutputFolder.Prepare(this, OutputDirectory, nameof(OutputDirectory), create: !WhatIf);
            if (FileNameTemplate is not null) _template = Terminating("RunApiInvalidFileNameTemplate", "-FileNameTemplate", () => Infrastructure.FileNameTemplate.Parse(FileNameTemplate));
            if (SourceImage is { Length: > 0 })
            {
                _sources = Terminating("RunApiInvalidParameter", "-SourceImage", () =>
                    SourceImages.From(SourceImage, SessionState.Path.GetUnresolvedProviderPathFromPSPath, ExpandWildcards));
            }
            if (JournalPath is not null) OpenJournal(SessionState.Path.GetUnresolvedProviderPathFromPSPath(JournalPath));
        }

        /// <summary>A value that cannot be used ends the call before anything is sent, naming the parameter.</summary>
        private T Terminating<T>(string errorId, string parameter, Func<T> make)
        {
            try
            {
                return make();
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument(errorId, parameter + ": " + ex.Message, parameter));
                throw; // not reached
            }
        }

        /// <summary>The files a -SourceImage pattern such as ./photos/*.png matches, in name order.</summary>
        private IReadOnlyList<string> ExpandWildcards(string pattern)
        {
            try
            {
                return GetResolvedProviderPathFromPSPath(pattern, out _).OrderBy(p => p, StringComparer.Ordinal).ToList();
            }
            catch (ItemNotFoundException)
            {
                return Array.Empty<string>();
            }
        }

        private void OpenJournal(string path)
        {
            try
            {
                var baseUri = WhatIf ? ClientIfConfigured()?.Settings.BaseUri : Client.Settings.BaseUri;
                var version = MyInvocation.MyCommand.Module?.Version?.ToString() ?? "0.0.0";
                _journal = JournalSession.Open(path, WhatIf, baseUri is null ? null : JournalFile.OriginOf(baseUri), version);
            }
            catch (JournalException ex)
            {
                ThrowTerminatingError(ErrorRecords.From(ex, path));
            }
        }

        internal override void ReleaseResources() => _journal?.Dispose();

        protected override void ProcessRecord()
        {
            RequestBinder binder;
            try
            {
                binder = RequestBinder.For(RecordParameters());
            }
            catch (ParameterProblem problem)
            {
                NotSubmitted(problem, Prompt);
                return;
            }
            for (var i = 0; i < Prompt.Length; i++)
            {
                var prompt = Prompt[i];
                CreateTaskRequest? request = null;
                RunApiException? invalid = null;
                try
                {
                    request = binder.Bind(prompt);
                }
                catch (ParameterProblem problem)
                {
                    NotSubmitted(problem, Prompt.Skip(i));
                    return;
                }
                catch (RunApiException ex)
                {
                    invalid = ex;
                }
                _money.Prompt();
                if (IdempotencyKey is not null && _money.Prompts > 1)
                {
                    WriteError(ErrorRecords.InvalidArgument("RunApiIdempotencyKeyReused",
                        $"Prompt '{DisplayText.Shorten(prompt)}' was not submitted: -IdempotencyKey identifies a single create, and it was used " +
                        "for an earlier prompt of this call. Leave it out for batches: each prompt then gets its own key.", prompt));
                }
                else if (invalid is not null)
                {
                    WriteError(ErrorRecords.InvalidArgument("RunApiInvalidPrompt",
                        $"Prompt '{DisplayText.Shorten(prompt)}' was not submitted: {RequestBinder.InParameterTerms(invalid)}.", prompt));
                }
                else
                {
                    if (binder.Sources is { } sources && !ReferenceEquals(sources, _sources)) _rowSources.Add(request!, sources);
                    SubmitPrompt(prompt, request!);
                }
            }
        }

        /// <summary>This record's parameters; its source images are the command line's, or a piped file's or row's.</summary>
        private RecordParameters RecordParameters()
        {
            var sources = _sources;
            if (!_commandLineParameters.Contains(nameof(SourceImage)) && SourceImage is { Length: > 0 })
            {
                // Piped paths are literal (a file named photo[1].png is that file, not a pattern).
                try
                {
                    sources = SourceImages.From(SourceImage, SessionState.Path.GetUnresolvedProviderPathFromPSPath);
                }
                catch (ArgumentException ex)
                {
                    throw new ParameterProblem("SourceImage", ex.Message);
                }
            }
            return new RecordParameters
            {
                Model = Model, AspectRatio = AspectRatio, NegativePrompt = NegativePrompt, Seed = Seed,
                OutputResolution = OutputResolution, OutputFormat = OutputFormat, CallbackUri = CallbackUri, Sources = sources,
            };
        }

        /// <summary>
        /// A parameter of a pipeline row fails that row's prompts. One of the command line would fail every prompt alike,
        /// so the call ends before anything is sent.
        /// </summary>
        private void NotSubmitted(ParameterProblem problem, IEnumerable<string> prompts)
        {
            var message = $"-{problem.Parameter}: {problem.Message}";
            var rowParametersInPlay = MyInvocation.BoundParameters.Keys.Any(name =>
                !_commandLineParameters.Contains(name) && !string.Equals(name, nameof(Prompt), StringComparison.OrdinalIgnoreCase));
            if (!rowParametersInPlay) ThrowTerminatingError(ErrorRecords.InvalidArgument("RunApiInvalidParameter", message, problem.Parameter));
            foreach (var prompt in prompts)
            {
                WriteError(ErrorRecords.InvalidArgument("RunApiInvalidParameter", $"Prompt '{DisplayText.Shorten(prompt)}' was not submitted: {message}", prompt));
            }
        }

        /// <summary>Plans the prompt (what it is, what it costs), asks ShouldProcess, then carries the plan out.</summary>
        private void SubmitPrompt(string prompt, CreateTaskRequest request)
        {
            PromptPlan plan = null!;
            try
            {
                plan = PromptPlan.For(_money.Prompts - 1, prompt, request, IdempotencyKey, _journal, Goal == BatchGoal.Save, _money);
            }
            catch (JournalException ex)
            {
                ThrowTerminatingError(ErrorRecords.From(ex, prompt));
            }
            var target = $"prompt '{DisplayText.Shorten(prompt)}'";
            switch (plan.Step)
            {
                case PromptStep.Resume:
                    if (ShouldProcess(target, plan.Action)) Resume(plan, request, prompt);
                    return;
                case PromptStep.LeaveOut:
                    if (WhatIf) return; // its summary says what the budget leaves out
                    WriteError(ErrorRecords.InvalidArgument("RunApiBudgetExceeded",
                        $"Prompt '{DisplayText.Shorten(prompt)}' was not submitted: its estimated {CostPlan.Usd(plan.Cents)} would take this call past -MaxCostUsd " +
                        $"{CostPlan.Usd(_money.BudgetCents!.Value)} ({CostPlan.Usd(_money.CommittedCents)} already sent).", prompt,
                        "Raise -MaxCostUsd, or run the prompts left out in another call."));
                    return;
            }
            if (!ShouldProcess(target, plan.Action))
            {
                // -WhatIf counts it against the budget as a real run would; a prompt declined under -Confirm costs nothing.
                if (WhatIf) _money.Commit(plan.Cents);
                return;
            }
            _money.Commit(plan.Cents);
            var create = plan.Create!;
            if (plan.Replay) _journal!.MarkResumed(create);
            CheckBalanceOnce(plan.Cents);
            if (_keyRefused is { } refused)
            {
                // The balance check was refused the key: no create is sent, and each prompt is named.
                _money.Release(plan.Cents);
                var record = ErrorRecords.From(refused, prompt);
                record.ErrorDetails = ErrorRecords.Details($"Prompt '{DisplayText.Shorten(prompt)}' was not submitted: {refused.Message}", record.ErrorDetails?.RecommendedAction);
                WriteError(record);
                return;
            }
            Submit(_journal?.Journalled(create, plan.Row, plan.Input) ?? create);
        }

        /// <summary>A row that has a task from an earlier run: its files again, or its task waited for and saved.</summary>
        private void Resume(PromptPlan plan, CreateTaskRequest request, string prompt)
        {
            var created = JournalPlan.CreatedFrom(plan.Journalled!, request);
            if (plan.AllSaved || Goal == BatchGoal.Create)
            {
                var task = ImagenTask.FromCreated(created);
                if (!plan.AllSaved) WriteObject(Marked(task, resumed: true));
                foreach (var saved in plan.AllSaved ? plan.Journalled!.Saved.OrderBy(s => s.Key) : Enumerable.Empty<KeyValuePair<int, string>>())
                {
                    WriteObject(Marked(ImageProvenance.Of(task, saved.Key).Describe(saved.Value), resumed: true));
                }
                return;
            }
            var attach = BatchInput.ToResume(created, prompt);
            attach.Row = plan.Row;
            _journal!.MarkResumed(attach);
            Submit(_journal.Journalled(attach, plan.Row, plan.Input));
        }

        /// <summary>
        /// Before the first create of a batch (more than one prompt, or input from the pipeline), one look at the balance:
        /// if it cannot pay for the first prompt nothing is sent; if it cannot pay for what is known of the batch, one
        /// warning says how much of it it covers. A single prompt needs no look: a 402 says the same.
        /// </summary>
        private void CheckBalanceOnce(long firstCents)
        {
            if (_money.BalanceChecked) return;
            _money.BalanceChecked = true;
            if (!MyInvocation.ExpectingInput && Prompt.Length < 2) return;
            var client = Client;
            AccountBalance balance;
            try
            {
                balance = RunOne(token => client.GetBalanceAsync(token));
            }
            catch (RunApiException error) when (error.Kind != RunApiErrorKind.Authentication)
            {
                WriteWarning($"The balance could not be read, so the batch goes on without that check: {error.Message}");
                return;
            }
            catch (RunApiException error)
            {
                _keyRefused = error;
                return;
            }
            if (balance.BalanceCents is not { } cents)
            {
                WriteWarning("RunAPI's balance answer gave no balance, so the batch goes on without that check.");
                return;
            }
            var warning = _money.BalanceVerdict(cents, firstCents, MyInvocation.ExpectingInput ? (int?)null : Prompt.Length, out var stop);
            if (stop is not null)
            {
                ThrowTerminatingError(ErrorRecords.Build(new InvalidOperationException(stop), "RunApiInsufficientBalance", ErrorCategory.QuotaExceeded,
                    Prompt.FirstOrDefault(), "Top up the balance at https://runapi.ai, then run the command again."));
            }
            if (warning is not null) WriteWarning(warning);
        }

        protected override void EndProcessing()
        {
            if (WhatIf && _money.WhatIfSummary() is { } summary) ShouldProcess(summary.Target, summary.Action);
            base.EndProcessing();
            if (!WhatIf && _money.Creates > 0) WriteInformation(new InformationRecord(_money.Summary(Goal), "New-ImagenImage"), new[] { "RunApi", "Summary" });
        }

        /// <summary>With a journal, every object says whether it came from an earlier run (Resumed).</summary>
        private object Marked(object output, bool resumed)
        {
            if (_journal is null) return output;
            var wrapped = PSObject.AsPSObject(output);
            wrapped.Properties.Add(new PSNoteProperty("Resumed", resumed));
            return wrapped;
        }

        private bool IsResumed(BatchInput input) => _journal?.IsResumed(input) == true;

        internal override BatchSettings BatchSettingsFor()
        {
            var client = Client;
            return new BatchSettings
            {
                Goal = Goal,
                Journal = _journal?.Writer,
                CreateLimit = ThrottleLimit,
                Downloader = _outputDirectory is null ? null : Downloader(MaxImageSizeMB),
                WaitTimeout = TimeSpan.FromSeconds(TimeoutSec),
                SaveTarget = (input, index, image) => SaveTargetFor(input, index, image),
                BeforeCreate = async (request, token) =>
                {
                    // A create resumed from a journal already has the URLs its files were uploaded to.
                    if (request is RemixImageRequest remix && SourceImages.HasStandIns(remix.SourceImageUrls) &&
                        (_rowSources.TryGetValue(request, out var sources) || (sources = _sources) is not null))
                    {
                        remix.UseSourceImages(await sources.ResolveAsync(client, token).ConfigureAwait(false));
                    }
                },
            };
        }

        internal override string? ProgressActivity() => Goal == BatchGoal.Create ? "Creating Imagen tasks" : "Generating images";

        internal override string DescribeProgress(BatchCounts counts) =>
            Goal == BatchGoal.Create
                ? $"{counts.Submitted} prompts: {counts.Created} created, {counts.Failed} failed"
                : $"{counts.Submitted} prompts: {counts.Created} created, {ProgressTracker.Generating(counts)}, " +
                  (Goal == BatchGoal.Save ? $"{counts.Saved} saved, " : $"{counts.Completed} completed, ") + $"{counts.Failed} failed";

        // Each input is marked handed over just before its last output is written: a downstream Select-Object -First
        // stops the pipeline from inside that write, after taking the object.
        internal override void OnCreated(BatchInput input)
        {
            _money.Created();
            if (Goal != BatchGoal.Create) return;
            input.HandedOver = true;
            WriteObject(Marked(ImagenTask.FromCreated(input.Created!), IsResumed(input)));
        }

        internal override void OnCompleted(BatchInput input)
        {
            if (input.Task is { } done) _money.Completed(done, input.Request?.PriceCents);
            if (Goal != BatchGoal.Complete) return;
            input.HandedOver = true;
            WriteObject(Marked(TaskOf(input), IsResumed(input)));
        }

        internal override void OnSaved(BatchInput input, int imageIndex, DownloadedImage image)
        {
            input.HandedOver = IsLastImage(input, imageIndex);
            WriteObject(Marked(ImageProvenance.Of(TaskOf(input), imageIndex).Describe(image.Path), IsResumed(input)));
        }

        internal override void OnFailed(BatchInput input, BatchFailure failure)
        {
            if (_journal?.TakeSavedBefore(input, failure, out var path) == true)
            {
                // A run killed between saving the file and journalling it: the file under the task's name is this image.
                input.HandedOver = IsLastImage(input, failure.ImageIndex!.Value);
                WriteObject(Marked(ImageProvenance.Of(TaskOf(input), failure.ImageIndex.Value).Describe(path), resumed: true));
                return;
            }
            input.HandedOver = failure.ImageIndex is not { } index || IsLastImage(input, index);
            if (failure.Stage == BatchStage.Create && input.Created is null &&
                !(failure.Error is RunApiException { OutcomeUnknown: true } or RunApiException { CreateAccepted: true }))
            {
                _money.Release(input.Request?.PriceCents ?? 0);
            }
            if (failure.ImageIndex is null) _money.Failed();
            WriteError(PromptErrors.For(input, failure, input.Created is null ? null : TaskOf(input)));
        }

        internal override void OnEnded(BatchInput input) => _journal?.Forget(input);

        private DownloadTarget SaveTargetFor(BatchInput input, int index, TaskImage image)
        {
            var now = Client.TimeProvider.GetUtcNow();
            var provenance = ImageProvenance.Of(TaskOf(input), index);
            var target = _template is null
                ? DownloadTarget.InDirectory(_outputDirectory!, ImageFileNames.For(new ImagenImage(input.TaskId!, index, image.Url, image.OriginUrl)), Force)
                : DownloadTarget.InDirectory(_outputDirectory!, _template.Render(provenance, input.Row, now), Force).SuffixedWithin(_claims);
            return target.WithMetadata(NoMetadata ? null : provenance.Metadata(now));
        }

        private static bool IsLastImage(BatchInput input, int imageIndex) => imageIndex >= (input.Task?.Images?.Count ?? 1) - 1;

        /// <summary>The task as last known, with what the create knew (prompt, model, submission time, key).</summary>
        private ImagenTask TaskOf(BatchInput input)
        {
            var created = ImagenTask.FromCreated(input.Created!);
            return input.Task is null ? created : ImagenTask.FromResponse(input.Task, input.Endpoint, created, Client.TimeProvider.GetUtcNow());
        }

        internal override void ReportUnfinished(ImagenBatch batch)
        {
            foreach (var warning in UnfinishedReport.Warnings(batch.Open, Goal, _outputDirectory, _journal?.Path)) WarnEvenWhenStopping(warning);
        }
    }
}
