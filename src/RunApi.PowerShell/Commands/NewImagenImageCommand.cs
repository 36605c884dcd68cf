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
        private int _promptCount;
        private int _estimatedCents;
        private int _creates;
        private int _resumes;
        private BatchJournal? _journal;
        private JournalPlan? _plan;
        private readonly HashSet<BatchInput> _resumed = new HashSet<BatchInput>();
        // Per model: how many creates -WhatIf counted, and their estimated cost.
        private readonly SortedDictionary<string, (int Count, int Cents)> _models = new SortedDictionary<string, (int Count, int Cents)>(StringComparer.Ordinal);

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
        private SourceImages? _recordSources;

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

        private BatchMoney _money = new BatchMoney(null);

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

        protected override void BeginProcessing()
        {
            // Parameters given on the command line hold for every prompt. Those bound from pipeline rows can differ per
            // row, so a bad row only fails its own prompts (see RowParametersInPlay).
            _commandLineParameters = new HashSet<string>(MyInvocation.BoundParameters.Keys, StringComparer.OrdinalIgnoreCase);
            _money = new BatchMoney(MaxCostUsd);
            if (OutputDirectory is not null)
            {
                _outputDirectory = OutputFolder.Prepare(this, OutputDirectory, nameof(OutputDirectory), create: !MyInvocation.BoundParameters.ContainsKey("WhatIf"));
            }
            if (FileNameTemplate is not null) _template = ParseTemplate(FileNameTemplate);
            if (SourceImage is { Length: > 0 })
            {
                try
                {
                    _sources = SourceImages.From(SourceImage, SessionState.Path.GetUnresolvedProviderPathFromPSPath, ExpandWildcards);
                }
                catch (ArgumentException ex)
                {
                    ThrowTerminatingError(ErrorRecords.InvalidArgument("RunApiInvalidParameter", "-SourceImage: " + ex.Message, SourceImage));
                }
            }
            if (JournalPath is not null) OpenJournal(SessionState.Path.GetUnresolvedProviderPathFromPSPath(JournalPath));
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

        private FileNameTemplate ParseTemplate(string text)
        {
            try
            {
                return Infrastructure.FileNameTemplate.Parse(text);
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument("RunApiInvalidFileNameTemplate", "-FileNameTemplate: " + ex.Message, text));
                throw; // not reached
            }
        }

        /// <summary>Opened for this command alone; under -WhatIf only read, so that nothing is written.</summary>
        private void OpenJournal(string path)
        {
            try
            {
                if (MyInvocation.BoundParameters.ContainsKey("WhatIf"))
                {
                    var known = ClientIfConfigured()?.Settings.BaseUri;
                    var origin = known is null ? null : JournalFile.OriginOf(known);
                    _plan = new JournalPlan(path, File.Exists(path) ? JournalFile.Read(path, origin) : new Dictionary<int, JournalRow>());
                    return;
                }
                _journal = BatchJournal.Open(path, MyInvocation.MyCommand.Module?.Version?.ToString() ?? "0.0.0", JournalFile.OriginOf(Client.Settings.BaseUri));
                _plan = new JournalPlan(path, _journal.Rows);
            }
            catch (JournalException ex)
            {
                ThrowTerminatingError(ErrorRecords.From(ex, path));
            }
        }

        internal override void ReleaseResources() => _journal?.Dispose();

        protected override void ProcessRecord()
        {
            ImagenVariant variant;
            try
            {
                _recordSources = SourcesOfRecord();
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
        }

        /// <summary>The command line's source images, or this record's when a piped file or row gave them.</summary>
        private SourceImages? SourcesOfRecord()
        {
            if (_commandLineParameters.Contains(nameof(SourceImage)) || SourceImage is not { Length: > 0 }) return _sources;
            try
            {
                // Piped paths are literal (a file named photo[1].png is that file, not a pattern).
                return SourceImages.From(SourceImage, SessionState.Path.GetUnresolvedProviderPathFromPSPath);
            }
            catch (ArgumentException ex)
            {
                throw new ParameterProblem("SourceImage", ex.Message);
            }
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
            var whatIf = MyInvocation.BoundParameters.ContainsKey("WhatIf");
            if (whatIf && (_promptCount > 1 || _overBudget > 0))
            {
                var resumes = _resumes == 0 ? string.Empty : $", and resume {_resumes} task(s) already paid for";
                var budget = _money.BudgetCents is not { } cents ? string.Empty
                    : $"; -MaxCostUsd {BatchMoney.Usd(cents)} " + (_overBudget == 0 ? "covers it" : $"leaves out {Count(_overBudget, "prompt")}");
                ShouldProcess($"{_promptCount} prompts",
                    $"Create {Count(_creates, "task")} ({Count(_creates, "image")}) for an estimated {FormatUsd(_estimatedCents)} in all{ByModel()}{budget}{resumes}");
            }
            base.EndProcessing();
            if (!whatIf && _creates > 0) WriteInformation(new InformationRecord(_money.Summary(Goal), "New-ImagenImage"), new[] { "RunApi", "Summary" });
        }

        private int _overBudget;
        private RunApiException? _keyRefused;

        /// <summary>
        /// Before the first create of a batch (more than one prompt, or input from the pipeline), one look at the balance:
        /// if it cannot pay for the first prompt nothing is sent; if it cannot pay for what is known of the batch (the
        /// prompts given, or the budget), one warning says how much of it it covers. A single prompt needs no look: a
        /// 402 says the same.
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
            var per = Math.Max(firstCents, 1);
            if (cents < firstCents)
            {
                ThrowTerminatingError(ErrorRecords.Build(new InvalidOperationException(
                        $"The balance is {BatchMoney.Usd(cents)}, less than the first prompt's estimated {BatchMoney.Usd(firstCents)}, so nothing was sent."),
                    "RunApiInsufficientBalance", ErrorCategory.QuotaExceeded, Prompt.FirstOrDefault(),
                    "Top up the balance at https://runapi.ai, then run the command again."));
            }
            var known = MyInvocation.ExpectingInput ? (long?)null : Prompt.Length * firstCents;
            if (known is { } all && cents < all)
            {
                WriteWarning($"The balance ({BatchMoney.Usd(cents)}) covers about {cents / per} of the {Prompt.Length} prompts given " +
                             $"(estimated {BatchMoney.Usd(all)}); the rest will be refused by RunAPI (402) and named.");
            }
            else if (_money.BudgetCents is { } budget && cents < budget && known is null)
            {
                WriteWarning($"The balance ({BatchMoney.Usd(cents)}) is below -MaxCostUsd {BatchMoney.Usd(budget)}: it covers about " +
                             $"{cents / per} prompts at {BatchMoney.Usd(firstCents)}; the rest will be refused by RunAPI (402) and named.");
            }
        }

        private static string Count(int n, string what) => n.ToString(CultureInfo.InvariantCulture) + " " + what + (n == 1 ? string.Empty : "s");

        /// <summary>": 2 imagen-4 ($0.16), 1 imagen-4-fast ($0.04)" when the batch mixes models.</summary>
        private string ByModel() =>
            _models.Count < 2 ? (_models.Count == 1 ? " (" + _models.Keys.First() + ")" : string.Empty)
                : ": " + string.Join(", ", _models.Select(m => $"{m.Value.Count} {m.Key} ({FormatUsd(m.Value.Cents)})"));

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
                if (_recordSources is not null && !ReferenceEquals(_recordSources, _sources)) _rowSources.Add(request, _recordSources);
                RequestValidator.Validate(request);
            }
            catch (RunApiException ex)
            {
                WriteError(ErrorRecords.InvalidArgument("RunApiInvalidPrompt",
                    $"Prompt '{Shorten(prompt)}' was not submitted: {InParameterTerms(ex)}.", prompt));
                return;
            }

            var row = _promptCount - 1;
            var input = request.ToJson();
            var action = RowAction.Send;
            try
            {
                action = _plan?.ActionFor(row, input, Goal == BatchGoal.Save) ?? RowAction.Send;
            }
            catch (JournalException ex)
            {
                ThrowTerminatingError(ErrorRecords.From(ex, prompt));
            }
            var journalled = _plan?.Row(row);
            if (action == RowAction.Attach || action == RowAction.Done)
            {
                _resumes++;
                if (ShouldProcess($"prompt '{Shorten(prompt)}'", $"Resume task {journalled!.TaskId} of journal row {row} (already paid: no new charge)"))
                {
                    Resume(row, journalled, request, action, prompt, input);
                }
                return;
            }

            var cents = request.PriceCents ?? 0;
            if (!_money.Allows(cents))
            {
                // Counted under -WhatIf too, so that its summary says what the budget leaves out.
                _overBudget++;
                if (!MyInvocation.BoundParameters.ContainsKey("WhatIf"))
                {
                    WriteError(ErrorRecords.InvalidArgument("RunApiBudgetExceeded",
                        $"Prompt '{Shorten(prompt)}' was not submitted: its estimated {FormatUsd(cents)} would take this call past -MaxCostUsd " +
                        $"{BatchMoney.Usd(_money.BudgetCents!.Value)} ({BatchMoney.Usd(_money.CommittedCents)} already sent).", prompt,
                        "Raise -MaxCostUsd, or run the prompts left out in another call."));
                }
                return;
            }
            _estimatedCents += cents;
            _creates++;
            _models[variant.Name] = _models.TryGetValue(variant.Name, out var sofar) ? (sofar.Count + 1, sofar.Cents + cents) : (1, cents);
            var what = action == RowAction.Replay
                ? $"Send the create of journal row {row} again with its Idempotency-Key: RunAPI returns its task if it made one, else creates it (estimated {FormatUsd(cents)})"
                : $"Create 1 {variant.Name} task (1 image, estimated {FormatUsd(cents)})";
            if (!ShouldProcess($"prompt '{Shorten(prompt)}'", what))
            {
                // -WhatIf counts it against the budget as a real run would; a prompt declined under -Confirm costs nothing.
                if (MyInvocation.BoundParameters.ContainsKey("WhatIf")) _money.Commit(cents);
                return;
            }
            _money.Commit(cents);

            var create = action == RowAction.Replay
                ? BatchInput.ToCreate(JournalPlan.WithSentSources(journalled!, request), journalled!.IdempotencyKey, prompt)
                : BatchInput.ToCreate(request, IdempotencyKey, prompt);
            if (action == RowAction.Replay) _resumed.Add(create);
            create.Row = row;
            CheckBalanceOnce(cents);
            if (_keyRefused is { } refused)
            {
                // The balance check was refused the key: no create is sent, and each prompt is named.
                _money.Release(cents);
                var record = ErrorRecords.From(refused, prompt);
                record.ErrorDetails = ErrorRecords.Details($"Prompt '{Shorten(prompt)}' was not submitted: {refused.Message}", record.ErrorDetails?.RecommendedAction);
                WriteError(record);
                return;
            }
            Submit(Journalled(create, row, input));
        }

        /// <summary>
        /// Ties the input to its journal row. A create whose body is known now (no file to upload first) has its
        /// accepted line begun at once, so that its flush to disk overlaps the wait for a create place.
        /// </summary>
        private BatchInput Journalled(BatchInput input, int row, string request)
        {
            if (_journal is null) return input;
            input.JournalRow = row;
            input.JournalInput = request;
            if (input.Entry == BatchEntry.Create && !(input.Request is RemixImageRequest remix && SourceImages.HasStandIns(remix.SourceImageUrls)))
            {
                // Awaited by the create; observed here too, for a row a stop keeps from its create.
                _ = _journal.Accept(input).ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            }
            return input;
        }

        /// <summary>A row that has a task from an earlier run: its files again, or its task waited for and saved.</summary>
        private void Resume(int row, JournalRow journalled, CreateTaskRequest request, RowAction action, string prompt, string input)
        {
            if (action == RowAction.Done)
            {
                var done = ImagenTask.FromCreated(JournalPlan.CreatedFrom(journalled, request));
                foreach (var saved in journalled.Saved.OrderBy(s => s.Key)) WriteObject(Marked(ImageProvenance.Of(done, saved.Key).Describe(saved.Value), resumed: true));
                return;
            }
            var created = JournalPlan.CreatedFrom(journalled, request);
            if (Goal == BatchGoal.Create)
            {
                WriteObject(Marked(ImagenTask.FromCreated(created), resumed: true));
                return;
            }
            var attach = BatchInput.ToResume(created, prompt);
            attach.Row = row;
            _resumed.Add(attach);
            Submit(Journalled(attach, row, input));
        }

        /// <summary>With a journal, every object says whether it came from an earlier run (Resumed).</summary>
        private object Marked(object output, bool resumed)
        {
            if (_plan is null) return output;
            var wrapped = PSObject.AsPSObject(output);
            wrapped.Properties.Add(new PSNoteProperty("Resumed", resumed));
            return wrapped;
        }

        internal override void OnEnded(BatchInput input) => _resumed.Remove(input);

        private BatchGoal Goal => ParameterSetName == SaveSet ? BatchGoal.Save : ParameterSetName == WaitSet ? BatchGoal.Complete : BatchGoal.Create;

        internal override BatchSettings BatchSettingsFor()
        {
            var client = Client;
            return new BatchSettings
            {
                Goal = Goal,
                Journal = _journal,
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
            WriteObject(Marked(ImagenTask.FromCreated(input.Created!), _resumed.Contains(input)));
        }

        internal override void OnCompleted(BatchInput input)
        {
            if (input.Task is { } done) _money.Completed(done, input.Request?.PriceCents);
            if (Goal != BatchGoal.Complete) return;
            input.HandedOver = true;
            WriteObject(Marked(TaskOf(input), _resumed.Contains(input)));
        }

        internal override void OnSaved(BatchInput input, int imageIndex, DownloadedImage image)
        {
            input.HandedOver = IsLastImage(input, imageIndex);
            WriteObject(Marked(ImageProvenance.Of(TaskOf(input), imageIndex).Describe(image.Path), _resumed.Contains(input)));
        }

        internal override void OnFailed(BatchInput input, BatchFailure failure)
        {
            if (IsSavedBefore(input, failure, out var path))
            {
                // A run killed between saving the file and journalling it: the file under the task's name is this image.
                ((IBatchJournal)_journal!).Saved(input, failure.ImageIndex!.Value, path);
                input.HandedOver = IsLastImage(input, failure.ImageIndex.Value);
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
            WriteError(PromptError(input, failure));
        }

        private bool IsSavedBefore(BatchInput input, BatchFailure failure, out string path)
        {
            path = (failure.Error as DestinationExistsException)?.Path ?? string.Empty;
            return _journal is not null && _resumed.Contains(input) && failure.Stage == BatchStage.Save && failure.ImageIndex is not null && path.Length > 0;
        }

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

        /// <summary>
        /// After a stop (Ctrl+C, Select-Object -First, a terminating error), every task this call paid for and did not
        /// hand over is named, then one command that picks them all up; so is every create that may have reached
        /// RunAPI unanswered, with its Idempotency-Key.
        /// </summary>
        internal override void ReportUnfinished(ImagenBatch batch)
        {
            var missed = Goal == BatchGoal.Save ? "saved" : Goal == BatchGoal.Complete ? "complete" : "written";
            var paid = new List<CreatedTask>();
            foreach (var input in batch.Open.Where(i => !i.HandedOver))
            {
                var prompt = Shorten(input.Tag as string);
                if (input.Created is { } created)
                {
                    paid.Add(created);
                    WarnEvenWhenStopping($"Task {created.Id} ({created.Endpoint.Name}) for prompt '{prompt}' was created and charged, " +
                                         $"but the command stopped before it was {missed}.");
                }
                else if (input.CreateSent)
                {
                    WarnEvenWhenStopping($"The create for prompt '{prompt}' was sent, but the command stopped before RunAPI answered: " +
                                         "a task may exist and be charged. Run that prompt again with the same options and " +
                                         $"-IdempotencyKey {input.IdempotencyKey} to get it without paying twice.");
                }
            }
            foreach (var group in paid.GroupBy(t => t.Endpoint.Name))
            {
                var endpoint = group.Key == TaskEndpoint.TextToImage.Name ? string.Empty : " -Endpoint " + group.Key;
                var save = Goal == BatchGoal.Save ? $" | Save-ImagenImage -OutputDirectory '{_outputDirectory!.Replace("'", "''")}'" : string.Empty;
                WarnEvenWhenStopping($"To pick up the {group.Count()} paid {group.Key} task(s): " +
                                     $"Wait-ImagenTask -TaskId {string.Join(",", group.Select(t => QuotedIfNeeded(t.Id)))}{endpoint}{save}");
            }
            if (_journal is not null && batch.Open.Any(i => !i.HandedOver))
            {
                WarnEvenWhenStopping($"Or run the same command again with -JournalPath '{_journal.Path.Replace("'", "''")}': it resumes the batch without paying twice.");
            }
        }

        /// <summary>A task id as a PowerShell argument: bare when it is a plain word, else single-quoted.</summary>
        private static string QuotedIfNeeded(string id) =>
            id.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '-') ? id : "'" + id.Replace("'", "''") + "'";

        /// <summary>The task is the target wherever one exists, so that paid work can always be found again.</summary>
        private ErrorRecord PromptError(BatchInput input, BatchFailure failure)
        {
            var prompt = input.Tag as string;
            var target = input.Created is null ? (object?)prompt : TaskOf(input);
            var record = ErrorRecords.From(failure.Error, target);
            var taskPart = input.TaskId is null ? string.Empty : $" (task {input.TaskId})";
            var address = failure.Source?.GetLeftPart(UriPartial.Path);
            var imagePart = failure.ImageIndex is not { } index ? string.Empty
                : $" image {index}" + (address is null || failure.Error.Message.Contains(address) ? string.Empty : $" from {address}");
            var action = record.ErrorDetails?.RecommendedAction;
            record.ErrorDetails = ErrorRecords.Details($"Prompt '{Shorten(prompt)}'{taskPart}{imagePart}: {failure.Error.Message}", action);
            return record;
        }

        private CreateTaskRequest BuildRequest(string prompt, ImagenVariant variant)
        {
            if (variant.RequiresSourceImages)
            {
                // Validated with stand-ins for local files; the uploaded URLs replace them just before the create.
                return new RemixImageRequest(prompt, _recordSources?.StandInUrls() ?? (IReadOnlyList<string>)Array.Empty<string>(), variant.Name)
                {
                    AspectRatio = Spelled(AspectRatio, variant.AspectRatios),
                    OutputResolution = Spelled(OutputResolution, variant.OutputResolutions),
                    OutputFormat = Spelled(OutputFormat, variant.OutputFormats),
                    CallbackUrl = CallbackUri?.OriginalString,
                };
            }
            return new TextToImageRequest(prompt, variant.Name)
            {
                AspectRatio = Spelled(AspectRatio, variant.AspectRatios),
                NegativePrompt = NegativePrompt,
                Seed = Seed,
                CallbackUrl = CallbackUri?.OriginalString,
            };
        }

        /// <summary>A value in any case, sent in the API's own spelling (4K as 4k, AUTO as auto); unknown values as given, for the check to name.</summary>
        private static string? Spelled(string? value, IEnumerable<string> allowed) =>
            value is null ? null : allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase)) ?? value;

        private ImagenVariant ResolveVariant()
        {
            var name = Model ?? (SourceImage is { Length: > 0 } ? ImagenVariants.ProRemix : ImagenVariants.Standard);
            return ImagenVariants.All.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase)) ?? throw new ParameterProblem("Model",
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
                // "-AspectRatio: must be one of ...", not "-AspectRatio: -AspectRatio must be one of ...".
                var parameter = ParameterFor(ex.Field);
                var message = InParameterTerms(ex);
                throw new ParameterProblem(parameter.TrimStart('-'), (message.StartsWith(parameter + " ", StringComparison.Ordinal) ? message.Substring(parameter.Length + 1) : message) + ".");
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

        /// <summary>The validator's message with the API field's name replaced by the parameter's (aspect_ratio as -AspectRatio).</summary>
        private static string InParameterTerms(RunApiException ex) =>
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

        internal static string FormatUsd(int cents) => (cents / 100m).ToString("$0.00", CultureInfo.InvariantCulture);

        internal static string Shorten(string? text)
        {
            var flat = (text ?? string.Empty).Replace('\r', ' ').Replace('\n', ' ');
            return flat.Length <= 60 ? flat : flat.Substring(0, 57) + "...";
        }
    }
}
