using RunApi.Client.Batches;
using RunApi.Client.Journal;
using RunApi.Client.Models;

namespace RunApi.PowerShell.NewImage
{
    /// <summary>What New-ImagenImage does with one prompt.</summary>
    internal enum PromptStep
    {
        /// <summary>An earlier run paid for its task: taken up again, no create.</summary>
        Resume,

        /// <summary>Its estimate would take the call past -MaxCostUsd: not sent.</summary>
        LeaveOut,

        /// <summary>A create, new or sent again with its journalled key.</summary>
        Create,
    }

    /// <summary>
    /// The plan for one prompt, made before anything is asked or sent: what to do, what ShouldProcess is told, what it
    /// costs. Planning counts it in the <see cref="CostPlan"/>; the command carries it out (or not, under -WhatIf).
    /// </summary>
    internal sealed class PromptPlan
    {
        private PromptPlan(PromptStep step, int row, string input, long cents, string action)
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
        public string Input { get; }

        public long Cents { get; }

        /// <summary>The action ShouldProcess names.</summary>
        public string Action { get; }

        /// <summary>For <see cref="PromptStep.Resume"/>: the journal's row, and whether all its files are saved already.</summary>
        public JournalRow? Journalled { get; private set; }
        public bool AllSaved { get; private set; }

        /// <summary>For <see cref="PromptStep.Create"/>: the batch input, and whether it is a create sent again.</summary>
        public BatchInput? Create { get; private set; }
        public bool Replay { get; private set; }

        /// <exception cref="JournalException">The journal's row was made from other input.</exception>
        public static PromptPlan For(int row, string prompt, CreateTaskRequest request, string? idempotencyKey,
            JournalSession? journal, bool saving, CostPlan money)
        {
            var input = request.ToJson();
            var action = journal?.ActionFor(row, input, saving) ?? RowAction.Send;
            var journalled = journal?.Row(row);
            if (action == RowAction.Attach || action == RowAction.Done)
            {
                money.Resume();
                return new PromptPlan(PromptStep.Resume, row, input, 0,
                    $"Resume task {journalled!.TaskId} of journal row {row} (already paid: no new charge)")
                { Journalled = journalled, AllSaved = action == RowAction.Done };
            }
            var cents = request.PriceCents ?? 0;
            var model = request.Model ?? string.Empty;
            if (!money.TryPlan(model, cents)) return new PromptPlan(PromptStep.LeaveOut, row, input, cents, string.Empty);

            var replay = action == RowAction.Replay;
            var create = replay
                ? BatchInput.ToCreate(JournalPlan.WithSentSources(journalled!, request), journalled!.IdempotencyKey, prompt)
                : BatchInput.ToCreate(request, idempotencyKey, prompt);
            create.Row = row;
            var what = replay
                ? $"Send the create of journal row {row} again with its Idempotency-Key: RunAPI returns its task if it made one, else creates it (estimated {CostPlan.Usd(cents)})"
                : $"Create 1 {model} task (1 image, estimated {CostPlan.Usd(cents)})";
            return new PromptPlan(PromptStep.Create, row, input, cents, what) { Create = create, Replay = replay };
        }
    }
}
