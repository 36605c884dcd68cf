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
        private decimal _chargedUsd;
        private bool _chargesKnown;
        private decimal _listPricedUsd;
        private int _listPriced;

        /// <summary>True when a create of <paramref name="cents"/> keeps the estimated spend within the budget.</summary>
        public bool Allows(long cents) => BudgetCents is not { } budget || CommittedCents + cents <= budget;

        public void Commit(long cents) => CommittedCents += cents;

        /// <summary>A create that failed without making a task costs nothing: its place in the budget is free again.</summary>
        public void Release(long cents) => CommittedCents -= cents;

        public void Created() => _created++;

        public void Failed() => _failed++;

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
