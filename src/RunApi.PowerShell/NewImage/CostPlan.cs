using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using RunApi.Client.Batches;
using RunApi.Client.Errors;
using RunApi.Client.Models;

namespace RunApi.PowerShell.NewImage
{
    /// <summary>
    /// The money of one New-ImagenImage call, all of it: the -MaxCostUsd budget that no create may take the estimated
    /// spend past, what -WhatIf counts and says, the verdict on the balance before the first create, and what the call
    /// sent, made and was charged, for its closing line.
    /// </summary>
    internal sealed class CostPlan
    {
        public CostPlan(decimal? maxCostUsd)
        {
            BudgetCents = maxCostUsd is { } usd ? (long)Math.Floor(usd * 100m) : (long?)null;
        }

        public long? BudgetCents { get; }

        /// <summary>The estimate of the creates sent and not known to have failed without a task.</summary>
        public long CommittedCents { get; private set; }

        // What the call planned: prompts seen, creates and resumes, what the budget left out, per model.
        private int _prompts;
        private int _creates;
        private int _resumes;
        private int _leftOut;
        private long _estimatedCents;
        private readonly SortedDictionary<string, (int Count, long Cents)> _models = new SortedDictionary<string, (int, long)>(StringComparer.Ordinal);

        // What it made and was charged.
        private int _created;
        private int _images;
        private int _failed;
        private decimal _chargedUsd;
        private bool _chargesKnown;
        private decimal _listPricedUsd;
        private int _listPriced;

        /// <summary>The balance was looked at (once per call, before its first create).</summary>
        public bool BalanceChecked { get; private set; }

        /// <summary>Prompts seen so far; the last one's journal row is one less.</summary>
        public int Prompts => _prompts;

        /// <summary>Creates planned (sent, or counted under -WhatIf).</summary>
        public int Creates => _creates;

        /// <summary>Rows planned to carry on a task of an earlier run.</summary>
        public int Resumes => _resumes;

        public void Prompt() => _prompts++;

        public void Resume() => _resumes++;

        /// <summary>
        /// A create of <paramref name="model"/> that keeps the estimated spend within the budget is counted for the
        /// -WhatIf line, and true; one that does not is counted as left out (under -WhatIf too), and false.
        /// </summary>
        public bool TryPlan(string model, long cents)
        {
            if (BudgetCents is { } budget && CommittedCents + cents > budget)
            {
                _leftOut++;
                return false;
            }
            _estimatedCents += cents;
            _creates++;
            _models[model] = _models.TryGetValue(model, out var sofar) ? (sofar.Count + 1, sofar.Cents + cents) : (1, cents);
            return true;
        }

        public void Commit(long cents) => CommittedCents += cents;

        /// <summary>A create that failed without making a task costs nothing: its place in the budget is free again.</summary>
        public void Release(long cents) => CommittedCents -= cents;

        /// <summary>The -WhatIf line of a batch (more than one prompt, or some left out), or null when there is none to say.</summary>
        public (string Target, string Action)? WhatIfSummary()
        {
            if (_prompts < 2 && _leftOut == 0) return null;
            var resumes = _resumes == 0 ? string.Empty : $", and resume {_resumes} task(s) already paid for";
            var budget = BudgetCents is not { } cents ? string.Empty
                : $"; -MaxCostUsd {Usd(cents)} " + (_leftOut == 0 ? "covers it" : $"leaves out {Count(_leftOut, "prompt")}");
            return ($"{_prompts} prompts",
                $"Create {Count(_creates, "task")} ({Count(_creates, "image")}) for an estimated {Usd(_estimatedCents)} in all{ByModel()}{budget}{resumes}");
        }

        /// <summary>": 2 imagen-4 ($0.16), 1 imagen-4-fast ($0.04)" when the batch mixes models.</summary>
        private string ByModel() =>
            _models.Count < 2 ? (_models.Count == 1 ? " (" + _models.Keys.First() + ")" : string.Empty)
                : ": " + string.Join(", ", _models.Select(m => $"{m.Value.Count} {m.Key} ({Usd(m.Value.Cents)})"));

        /// <summary>
        /// Before the first create of a batch, one look at the balance: too little for the first prompt stops the batch
        /// (<paramref name="stop"/>: nothing is sent); too little for what is known of it (the prompts given, else the
        /// budget) is a warning, returned, saying how much it covers. A balance that cannot be read, or an answer
        /// without it, is a warning too: the batch goes on without the check, and a 402 names each prompt refused.
        /// </summary>
        /// <param name="promptsGiven">The prompts given on the command line; null when they come from the pipeline.</param>
        /// <exception cref="RunApiException">The key was refused (401): every prompt is refused alike.</exception>
        public string? CheckBalance(Func<AccountBalance> read, long firstCents, int? promptsGiven, out string? stop)
        {
            stop = null;
            BalanceChecked = true;
            AccountBalance balance;
            try
            {
                balance = read();
            }
            catch (RunApiException error) when (error.Kind != RunApiErrorKind.Authentication && error.Kind != RunApiErrorKind.ProxyAuthentication)
            {
                return $"The balance could not be read, so the batch goes on without that check: {error.Message}";
            }
            if (balance.BalanceCents is not { } cents) return "RunAPI's balance answer gave no balance, so the batch goes on without that check.";
            if (cents < firstCents)
            {
                stop = $"The balance is {Usd(cents)}, less than the first prompt's estimated {Usd(firstCents)}, so nothing was sent.";
                return null;
            }
            var per = Math.Max(firstCents, 1);
            if (promptsGiven is { } count && cents < count * firstCents)
            {
                return $"The balance ({Usd(cents)}) covers about {cents / per} of the {count} prompts given " +
                       $"(estimated {Usd(count * firstCents)}); the rest will be refused by RunAPI (402) and named.";
            }
            if (promptsGiven is null && BudgetCents is { } budget && cents < budget)
            {
                return $"The balance ({Usd(cents)}) is below -MaxCostUsd {Usd(budget)}: it covers about " +
                       $"{cents / per} prompts at {Usd(firstCents)}; the rest will be refused by RunAPI (402) and named.";
            }
            return null;
        }

        public void Created() => _created++;

        /// <summary>
        /// An input that failed (or one of its images, which counts no failure of the prompt). A create that made no task
        /// frees its place in the budget, unless RunAPI may have made it (no answer) or did (an answer that could not be used).
        /// </summary>
        public void Failed(BatchFailure failure, bool taskMade, long cents)
        {
            if (failure.Stage == BatchStage.Create && !taskMade &&
                !(failure.Error is RunApiException { OutcomeUnknown: true } or RunApiException { CreateAccepted: true }))
            {
                Release(cents);
            }
            if (failure.ImageIndex is null) _failed++;
        }

        /// <param name="listPriceCents">The price of what was asked: the charge where RunAPI gives no figure.</param>
        public void Completed(TaskResponse task, long? listPriceCents)
        {
            _images += task.Images?.Count ?? 0;
            if (TaskCharge.Of(task, listPriceCents / 100m) is not { } charge) return;
            _chargedUsd += charge.Usd;
            _chargesKnown = true;
            if (charge.Source != ChargeSource.ListPrice) return;
            _listPricedUsd += charge.Usd;
            _listPriced++;
        }

        /// <summary>
        /// The closing line of a batch: what it made and failed, and what it was charged against the estimate: RunAPI's
        /// figures, to every digit it gave, and the list price where it gave none, with how much of the total that is.
        /// </summary>
        public string Summary(BatchGoal goal)
        {
            if (goal == BatchGoal.Create)
            {
                return $"{Count(_created, "task")} created, {_failed} failed; estimated {Usd(CommittedCents)} (charges are known once the tasks complete).";
            }
            var made = $"{Count(_images, "image")} made, {_failed} failed; ";
            var estimated = "estimated " + Usd(CommittedCents);
            if (!_chargesKnown) return made + $"charged not reported ({estimated}).";
            if (_listPriced == 0) return made + $"charged {Usd(_chargedUsd)} ({estimated}).";
            return made + $"charged {Usd(_chargedUsd)} ({Usd(_listPricedUsd)} of it at list price: RunAPI reported no charge for " +
                   $"{Count(_listPriced, "task")}; {estimated}).";
        }

        public static string Usd(long cents) => Usd(cents / 100m);

        /// <summary>Dollars and cents, and the fractions of a cent RunAPI charged, if any ($0.0321).</summary>
        public static string Usd(decimal usd) => usd.ToString("$0.00####", CultureInfo.InvariantCulture);

        private static string Count(int n, string what) => n.ToString(CultureInfo.InvariantCulture) + " " + what + (n == 1 ? string.Empty : "s");
    }
}
