using RunApi.Client.Batches;
using RunApi.Client.Errors;
using RunApi.Client.Journal;
using RunApi.Client.Models;
using RunApi.PowerShell.Errors;
using RunApi.PowerShell.Jobs;

namespace RunApi.PowerShell.NewImage
{
    /// <summary>What New-ImagenImage does with one prompt.</summary>
    internal enum PromptStep
    {
        /// <summary>Not sent, with the error that says why (<see cref="PromptPlan.Refusal"/>).</summary>
        Refuse,

        /// <summary>An earlier run paid for its task: taken up again, no create.</summary>
        Resume,

        /// <summary>A create, new or sent again with its journalled key.</summary>
        Create,

        /// <summary>Resume-ImagenJob: nothing to do (its files are saved, or it failed and is not retried); nothing is written.</summary>
        Skip,
    }

    /// <summary>Why a prompt is not sent: its error's id, message and recommended action.</summary>
    internal sealed class Refusal
    {
        public Refusal(string errorId, string message, string? action = null)
        {
            ErrorId = errorId;
            Message = message;
            Action = action;
        }

        public string ErrorId { get; }
        public string Message { get; }
        public string? Action { get; }

        /// <summary>Left out by the budget: under -WhatIf, its summary line says so instead of an error.</summary>
        public bool ByBudget => ErrorId == "RunApiBudgetExceeded";
    }

    /// <summary>
    /// The plan for one prompt, made before anything is asked or sent: its request (one build, one validation), what to
    /// do, what ShouldProcess is told, what it costs. Planning counts it in the <see cref="CostPlan"/>; the command
    /// carries it out (or not, under -WhatIf).
    /// </summary>
    internal sealed class PromptPlan
    {
        private PromptPlan(PromptStep step, int row, string input = "", long cents = 0, string action = "")
        {
            Step = step;
            Row = row;
            Input = input;
            Cents = cents;
            Action = action;
        }

        public PromptStep Step { get; }

        /// <summary>The prompt's row of the call (and of its journal).</summary>
        public int Row { get; }

        /// <summary>The request as JSON: what the journal matches the row by.</summary>
        public string Input { get; private set; }

        public long Cents { get; }

        /// <summary>The action ShouldProcess names.</summary>
        public string Action { get; }

        /// <summary>For <see cref="PromptStep.Refuse"/>: why.</summary>
        public Refusal? Refusal { get; private set; }

        public CreateTaskRequest? Request { get; private set; }

        /// <summary>Resume-ImagenJob -RetryFailed: the row failed, and this is a new create for it.</summary>
        public bool Retry { get; private set; }

        /// <summary>For <see cref="PromptStep.Resume"/>: the journal's row, and whether all its files are saved already.</summary>
        public JournalRow? Journalled { get; private set; }
        public bool AllSaved { get; private set; }

        /// <summary>For <see cref="PromptStep.Create"/>: the batch input, and whether it is a create sent again.</summary>
        public BatchInput? Create { get; private set; }
        public bool Replay { get; private set; }

        /// <exception cref="ParameterProblem">A value of the record the model does not allow: every prompt of it fails alike.</exception>
        /// <exception cref="JournalException">The journal's row was made from other input.</exception>
        public static PromptPlan For(RequestBinder binder, string prompt, string? idempotencyKey, JournalSession? journal, bool saving, CostPlan money,
            ResumeContext? resume = null)
        {
            if (resume is not null && journal?.Row(money.Prompts) is not { Facts.Refused: false })
            {
                // A prompt refused before it made a request: nothing can send it, and it was reported then. A row the
                // journal does not have was never planned: a resume does only what the job knows.
                money.Prompt();
                return new PromptPlan(PromptStep.Skip, money.Prompts - 1);
            }
            // Bound first: a problem of the record's parameters (thrown) counts no prompt of it.
            CreateTaskRequest? request = null;
            RunApiException? invalid = null;
            try
            {
                request = binder.Bind(prompt);
            }
            catch (RunApiException ex)
            {
                invalid = ex;
            }
            money.Prompt();
            var row = money.Prompts - 1;
            if (idempotencyKey is not null && row > 0)
            {
                return Refused(row, new Refusal("RunApiIdempotencyKeyReused", NotSent(prompt, "-IdempotencyKey identifies a single create, and it " +
                    "was used for an earlier prompt of this call. Leave it out for batches: each prompt then gets its own key.")));
            }
            if (invalid is not null) return Refused(row, new Refusal("RunApiInvalidPrompt", NotSent(prompt, RequestBinder.InParameterTerms(invalid) + ".")));
            var input = request!.ToJson();
            var action = journal?.ActionFor(row, input, saving) ?? RowAction.Send;
            var journalled = journal?.Row(row);
            var retry = false;
            if (resume is not null && (action == RowAction.Done || journalled?.Facts.Outcome(resume.Goal) == RowOutcome.Saved ||
                                       IsLeftAlone(journalled, resume, out retry)))
            {
                return new PromptPlan(PromptStep.Skip, row, input);
            }
            if (action == RowAction.Attach || action == RowAction.Done)
            {
                money.Resume();
                return new PromptPlan(PromptStep.Resume, row, input, 0,
                    $"Resume task {journalled!.TaskId} of journal row {row} (already paid: no new charge)")
                { Request = request, Journalled = journalled, AllSaved = action == RowAction.Done };
            }
            var cents = request.PriceCents ?? 0;
            var model = request.Model ?? string.Empty;
            if (!money.TryPlan(model, cents))
            {
                var refused = Refused(row, new Refusal("RunApiBudgetExceeded", NotSent(prompt, $"its estimated {CostPlan.Usd(cents)} would take this call " +
                    $"past -MaxCostUsd {CostPlan.Usd(money.BudgetCents!.Value)} ({CostPlan.Usd(money.CommittedCents)} already sent)."),
                    "Raise -MaxCostUsd, or run the prompts left out in another call (or Resume-ImagenJob)."));
                refused.Request = request;
                refused.Input = input;
                refused.Retry = retry;
                return refused;
            }

            var replay = action == RowAction.Replay;
            var create = replay
                ? BatchInput.ToCreate(JournalPlan.WithSentSources(journalled!, request), journalled!.IdempotencyKey, prompt)
                : BatchInput.ToCreate(request, idempotencyKey, prompt);
            create.Row = row;
            var what = replay
                ? $"Send the create of journal row {row} again with its Idempotency-Key: RunAPI returns its task if it made one, else creates it (estimated {CostPlan.Usd(cents)})"
                : retry ? $"Retry journal row {row}, which failed ({journalled!.Facts.FailureErrorId}): 1 new {model} task (estimated {CostPlan.Usd(cents)})"
                : $"Create 1 {model} task (1 image, estimated {CostPlan.Usd(cents)})";
            return new PromptPlan(PromptStep.Create, row, input, cents, what) { Request = request, Create = create, Replay = replay, Retry = retry };
        }

        private static PromptPlan Refused(int row, Refusal refusal) => new PromptPlan(PromptStep.Refuse, row) { Refusal = refusal };

        /// <summary>
        /// Resume-ImagenJob leaves a row that failed for good alone, unless -RetryFailed asks for it and its cause may pass
        /// (<see cref="RowFacts.Retryable"/>): then it is sent as a new create, a new charge (<paramref name="retry"/>). A
        /// row a refused key or empty balance kept back was never charged, and is sent.
        /// </summary>
        private static bool IsLeftAlone(JournalRow? row, ResumeContext resume, out bool retry)
        {
            retry = false;
            if (row is not { FailedForGood: true } || row.Facts.Outcome(JobGoals.Save) != RowOutcome.Failed) return false;
            if (row.Facts.Retryable) resume.RetryableLeft++;
            retry = resume.RetryFailed && row.Facts.Retryable;
            if (retry) resume.RetryableLeft--;
            else resume.FailedLeft++;
            return !retry;
        }

        private static string NotSent(string prompt, string why) => $"Prompt '{DisplayText.Shorten(prompt)}' was not submitted: {why}";
    }
}
