using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using RunApi.Client.Batches;
using RunApi.Client.Downloads;
using RunApi.Client.Errors;
using RunApi.Client.Jobs;
using RunApi.Client.Journal;
using RunApi.Client.Models;
using RunApi.PowerShell.Cmdlets;
using RunApi.PowerShell.Errors;
using RunApi.PowerShell.Files;
using RunApi.PowerShell.Jobs;
using RunApi.PowerShell.NewImage;

namespace RunApi.PowerShell.Commands
{
    /// <summary>
    /// New-ImagenImage's PowerShell work: binding records, ShouldProcess, writing. Its name, parameter sets, outputs and
    /// parameters are in NewImagenImageCommand.Parameters.cs; what it does with a prompt is in NewImage/ (RequestBinder,
    /// PromptPlan, CostPlan, JournalSession).
    /// </summary>
    public sealed partial class NewImagenImageCommand
    {
        private string? _outputDirectory;
        private HashSet<string> _commandLineParameters = null!;
        private CostPlan _money = new CostPlan(null);
        private JournalSession? _journal;
        private RunApiException? _keyRefused;
        private SaveTargets? _saveTargets;
        private RecordSources _sources = new RecordSources(null);
        private ResumeContext? _resume;
        private string? _cutoff;
        private CutoffClock _clock = new CutoffClock(null);

        internal bool WhatIf => MyInvocation.BoundParameters.ContainsKey("WhatIf");
        internal BatchGoal Goal => ParameterSetName == SaveSet ? BatchGoal.Save : ParameterSetName == WaitSet ? BatchGoal.Complete : BatchGoal.Create;

        protected override void BeginProcessing()
        {
            // Parameters given on the command line hold for every prompt; a bad one of a pipeline row fails its prompts only.
            _commandLineParameters = new HashSet<string>(MyInvocation.BoundParameters.Keys, StringComparer.OrdinalIgnoreCase);
            _resume = ResumeContext.Take();
            _clock = new CutoffClock(MaxDuration);
            _money = new CostPlan(MaxCostUsd);
            if (OutputDirectory is not null)
            {
                _outputDirectory = OutputFolder.Prepare(this, OutputDirectory, nameof(OutputDirectory), create: !WhatIf);
                var template = FileNameTemplate is null ? null
                    : this.ParameterValue("RunApiInvalidFileNameTemplate", "-FileNameTemplate", () => Files.FileNameTemplate.Parse(FileNameTemplate));
                _saveTargets = new SaveTargets(_outputDirectory, template, Force, withMetadata: !NoMetadata);
            }
            if (SourceImage is { Length: > 0 })
            {
                _sources = new RecordSources(this.ParameterValue("RunApiInvalidParameter", "-SourceImage", () =>
                    SourceImages.From(SourceImage, SessionState.Path.GetUnresolvedProviderPathFromPSPath, this.FilesMatching)));
            }
            if (JournalPath is not null) _journal = JobStart.Open(this, SessionState.Path.GetUnresolvedProviderPathFromPSPath(JournalPath), _commandLineParameters, _outputDirectory, _resume);
        }

        internal override void ReleaseResources() => _journal?.Dispose();

        protected override void ProcessRecord()
        {
            // Every batch is a job: one that is not a -WhatIf gets its own journal when its first row comes.
            if (_journal is null && !WhatIf) _journal = JobStart.Open(this, null, _commandLineParameters, _outputDirectory, _resume);
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
                PromptPlan plan = null!;
                try
                {
                    plan = PromptPlan.For(binder, Prompt[i], IdempotencyKey, _journal, Goal == BatchGoal.Save, _money, _resume);
                }
                catch (ParameterProblem problem)
                {
                    NotSubmitted(problem, Prompt.Skip(i));
                    return;
                }
                catch (JournalException ex)
                {
                    ThrowTerminatingError(ErrorRecords.From(ex, Prompt[i]));
                }
                CarryOut(plan, Prompt[i], binder.Sources);
            }
        }

        /// <summary>This record's parameters; its source images are the command line's, or a piped file's or row's.</summary>
        /// <exception cref="ParameterProblem">A row's source image cannot be used.</exception>
        private RecordParameters RecordParameters()
        {
            // A row's own source images (a piped file's FullName, a CSV column) are literal paths: photo[1].png is that file.
            var fromRow = !_commandLineParameters.Contains(nameof(SourceImage)) ? SourceImage : null;
            return new RecordParameters
            {
                Model = Model, AspectRatio = AspectRatio, NegativePrompt = NegativePrompt, Seed = Seed,
                OutputResolution = OutputResolution, OutputFormat = OutputFormat, CallbackUri = CallbackUri,
                Sources = _sources.OfRecord(fromRow, SessionState.Path.GetUnresolvedProviderPathFromPSPath),
            };
        }

        /// <summary>A parameter of a pipeline row fails its prompts; one of the command line ends the call before anything is sent.</summary>
        private void NotSubmitted(ParameterProblem problem, IEnumerable<string> prompts)
        {
            var rowParametersInPlay = MyInvocation.BoundParameters.Keys.Any(name => !_commandLineParameters.Contains(name) && name != nameof(Prompt));
            if (!rowParametersInPlay) ThrowTerminatingError(PromptErrors.ParameterProblem(problem, null));
            foreach (var prompt in prompts) WriteError(PromptErrors.ParameterProblem(problem, prompt));
        }

        /// <summary>Asks ShouldProcess what the plan says, then does it: a create (after one look at the balance), a resume, or an error.</summary>
        private void CarryOut(PromptPlan plan, string prompt, SourceImages? sources)
        {
            var target = $"prompt '{DisplayText.Shorten(prompt)}'";
            if (plan.Step == PromptStep.Skip) return;
            if (plan.Refusal is { } refusal)
            {
                // Under -WhatIf, its summary line says what the budget left out.
                if (!(refusal.ByBudget && WhatIf)) WriteError(ErrorRecords.InvalidArgument(refusal.ErrorId, refusal.Message, prompt, refusal.Action));
                if (refusal.ByBudget) _cutoff = Cutoffs.Budget;
                _journal?.Refused(plan, prompt, refusal);
                return;
            }
            if (plan.Step == PromptStep.Resume)
            {
                if (ShouldProcess(target, plan.Action)) Resume(plan, prompt);
                return;
            }
            if (!ShouldProcess(target, plan.Action))
            {
                // -WhatIf counts it against the budget as a real run would; a prompt declined under -Confirm costs nothing.
                if (WhatIf) _money.Commit(plan.Cents);
                else _journal?.NotSent(plan, "declined");
                return;
            }
            _money.Commit(plan.Cents);
            var create = plan.Create!;
            _sources.Remember(plan.Request!, sources);
            if (plan.Replay) _journal!.MarkResumed(create);
            if (ClientIfConfigured() is null) { _journal?.MissingKey(plan); _ = Client; } // Client ends the command
            CheckBalanceOnce(plan.Cents);
            if (_keyRefused is { } refused)
            {
                // The balance check was refused the key: no create is sent, and each prompt is named.
                _money.Release(plan.Cents);
                _journal?.NotSent(plan, "refused", refused);
                WriteError(PromptErrors.NotSubmitted(refused, prompt));
                return;
            }
            // With -MaxDuration, a create waits for a place only until the deadline; none is sent after it.
            if (_clock.Admits(() => Batch.HasRoomFor(BatchEntry.Create), Pump)) Submit(_journal?.Journalled(create, plan.Row, plan.Input) ?? create);
            else CutOff(plan);
        }

        private void CutOff(PromptPlan plan)
        {
            _money.Release(plan.Cents);
            _journal?.NotSent(plan, Cutoffs.Duration);
        }

        internal override bool StopWaiting() => _clock.Over;

        /// <summary>A row that has a task from an earlier run: its files again, its task again, or its task waited for (and saved).</summary>
        private void Resume(PromptPlan plan, string prompt)
        {
            var outputs = _journal!.Resumed(plan, prompt, Goal, out var attach);
            foreach (var output in outputs) WriteObject(output);
            if (attach is not null) Submit(attach);
        }

        /// <summary>One look at the balance before the first create of a batch; a single prompt needs none (a 402 says the same).</summary>
        private void CheckBalanceOnce(long firstCents)
        {
            if (_money.BalanceChecked || (!MyInvocation.ExpectingInput && Prompt.Length < 2)) return;
            var client = Client; // here, on the pipeline thread: a missing key ends the call before anything runs
            try
            {
                var warning = _money.CheckBalance(() => RunOne(token => client.GetBalanceAsync(token)), firstCents,
                    MyInvocation.ExpectingInput ? (int?)null : Prompt.Length, out var stop);
                if (stop is not null)
                {
                    _journal?.Ending("RunApiInsufficientBalance");
                    ThrowTerminatingError(ErrorRecords.Build(new InvalidOperationException(stop), "RunApiInsufficientBalance", ErrorCategory.QuotaExceeded,
                        Prompt.FirstOrDefault(), "Top up the balance at https://runapi.ai, then run the command again."));
                }
                if (warning is not null) WriteWarning(warning);
            }
            catch (RunApiException refused)
            {
                _keyRefused = refused;
            }
        }

        protected override void EndProcessing()
        {
            if (WhatIf && _money.WhatIfSummary() is { } summary) ShouldProcess(summary.Target, summary.Action);
            _journal?.InputRead();
            base.EndProcessing();
            if (_clock.Over) Work.Stop(); // the grace is over: the closing line counts what the job holds
            if (_clock.RowsCut > 0 || (_clock.Over && !WhatIf && _money.Creates + _money.Resumes > 0 && StartedBatch?.IsIdle == false)) _cutoff = Cutoffs.Duration;
            _journal?.End(_cutoff is null ? EndReasons.Completed : EndReasons.Cutoff, _cutoff);
            if (_cutoff == Cutoffs.Duration) WriteWarning(JobLines.CutOff(MaxDuration!.Value, _clock, StartedBatch?.Open.Count(i => i.Created is not null) ?? 0, _journal?.Job));
            if (_resume is { FailedLeft: > 0 } resume) WriteWarning(JobLines.FailedLeftAlone(resume));
            if (WhatIf || (_money.Creates == 0 && _journal?.Job is null)) return;
            WriteInformation(new InformationRecord(JobLines.Closing(_money.Summary(Goal), _journal?.Job), "New-ImagenImage"), new[] { "RunApi", "Summary" });
        }

        private object Marked(object output, bool resumed) => _journal?.Marked(output, resumed) ?? output;
        private object Marked(object output, BatchInput input) => Marked(output, _journal?.IsResumed(input) == true);

        internal override BatchSettings BatchSettingsFor() => new BatchSettings
        {
            Goal = Goal,
            Journal = _journal?.Writer,
            CreateLimit = ThrottleLimit,
            Downloader = _outputDirectory is null ? null : Downloader(MaxImageSizeMB),
            WaitTimeout = TimeSpan.FromSeconds(TimeoutSec),
        };

        internal override DownloadTarget SaveTargetFor(BatchInput input, int index, TaskImage image) =>
            _saveTargets!.For(TaskOf(input), input.Row, index, image, Client.TimeProvider.GetUtcNow());

        internal override Task BeforeCreateAsync(CreateTaskRequest request, CancellationToken token) => _sources.ResolveAsync(request, Client, token);

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
            WriteObject(Marked(ImagenTask.FromCreated(input.Created!), input));
        }

        internal override void OnCompleted(BatchInput input)
        {
            if (input.Task is { } done) _money.Completed(done, input.Request?.PriceCents);
            if (Goal != BatchGoal.Complete) return;
            input.HandedOver = true;
            WriteObject(Marked(TaskOf(input), input));
        }

        internal override void OnSaved(BatchInput input, int imageIndex, DownloadedImage image)
        {
            input.HandedOver = IsLastImage(input, imageIndex);
            WriteObject(Marked(ImageProvenance.Of(TaskOf(input), imageIndex).Describe(image.Path), input));
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
            _money.Failed(failure, taskMade: input.Created is not null, input.Request?.PriceCents ?? 0);
            WriteError(PromptErrors.For(input, failure, input.Created is null ? null : TaskOf(input)));
        }

        internal override void OnEnded(BatchInput input) => _journal?.Forget(input);

        private static bool IsLastImage(BatchInput input, int imageIndex) => imageIndex >= (input.Task?.Images?.Count ?? 1) - 1;

        /// <summary>The task as last known, with what the create knew (prompt, model, submission time, key).</summary>
        private ImagenTask TaskOf(BatchInput input)
        {
            var created = ImagenTask.FromCreated(input.Created!);
            return input.Task is null ? created : ImagenTask.FromResponse(input.Task, input.Endpoint, created, Client.TimeProvider.GetUtcNow());
        }

        internal override void ReportUnfinished(PipelineBatch batch)
        {
            _journal?.NotSentAtStop(batch.Open);
            if (_cutoff == Cutoffs.Duration && _journal?.Job is not null) return; // its warning named the job that holds them
            foreach (var warning in UnfinishedReport.Warnings(batch.Open, Goal, _outputDirectory, _journal?.Path, _journal?.Job?.Id)) WarnEvenWhenStopping(warning);
        }
    }
}
