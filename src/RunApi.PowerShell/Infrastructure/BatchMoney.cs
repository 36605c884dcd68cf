using System;
using System.Globalization;
using RunApi.Client.Batches;
using RunApi.Client.Models;

namespace RunApi.PowerShell.Infrastructure
{
    /// <summary>
    /// The money of one New-ImagenImage call: the -MaxCostUsd budget that no create may take the estimated spend past,
    /// and what the call sent, made and was charged, for its closing line.
    /// </summary>
    internal sealed class BatchMoney
    {
        public BatchMoney(decimal? maxCostUsd)
        {
            BudgetCents = maxCostUsd is { } usd ? (long)Math.Floor(usd * 100m) : (long?)null;
        }

        public long? BudgetCents { get; }

        /// <summary>The estimate of the creates sent and not known to have failed without a task.</summary>
        public long CommittedCents { get; private set; }

        public bool BalanceChecked { get; set; }

        private int _created;
        private int _images;
        private int _failed;
        private long _chargedCents;
        private bool _chargesKnown;

        /// <summary>True when a create of <paramref name="cents"/> keeps the estimated spend within the budget.</summary>
        public bool Allows(long cents) => BudgetCents is not { } budget || CommittedCents + cents <= budget;

        public void Commit(long cents) => CommittedCents += cents;

        /// <summary>A create that failed without making a task costs nothing: its place in the budget is free again.</summary>
        public void Release(long cents) => CommittedCents -= cents;

        public void Created() => _created++;

        public void Failed() => _failed++;

        public void Completed(TaskResponse task)
        {
            _images += task.Images?.Count ?? 0;
            if (task.Billing?.ChargedCents is { } charged)
            {
                _chargedCents += charged;
                _chargesKnown = true;
            }
        }

        /// <summary>The closing line of a batch: what it made and failed, and what it was charged against the estimate.</summary>
        public string Summary(BatchGoal goal)
        {
            if (goal == BatchGoal.Create)
            {
                return $"{Count(_created, "task")} created, {_failed} failed; estimated {Usd(CommittedCents)} (charges are known once the tasks complete).";
            }
            var charged = _chargesKnown ? Usd(_chargedCents) : "not reported";
            return $"{Count(_images, "image")} made, {_failed} failed; charged {charged} (estimated {Usd(CommittedCents)}).";
        }

        public static string Usd(long cents) => (cents / 100m).ToString("$0.00", CultureInfo.InvariantCulture);

        private static string Count(int n, string what) => n.ToString(CultureInfo.InvariantCulture) + " " + what + (n == 1 ? string.Empty : "s");
    }
}
