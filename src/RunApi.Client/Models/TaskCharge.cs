namespace RunApi.Client.Models
{
    /// <summary>Where the figure of a <see cref="TaskCharge"/> comes from.</summary>
    internal enum ChargeSource
    {
        /// <summary>RunAPI said it: the usage cost, the billing settlement, or a refund.</summary>
        Service,

        /// <summary>RunAPI gave no figure: the list price of the task's model, by the published rules.</summary>
        ListPrice,
    }

    /// <summary>What a task was charged, in US dollars, and whether RunAPI said so or the price list does.</summary>
    internal sealed class TaskCharge
    {
        public TaskCharge(decimal usd, ChargeSource source)
        {
            Usd = usd;
            Source = source;
        }

        public decimal Usd { get; }
        public ChargeSource Source { get; }

        /// <param name="listPriceUsd">The list price of the task's model and options, when known.</param>
        /// <returns>Null while the task works (nothing is charged yet, or known to be), and for a completed task whose
        /// list price is not known either.</returns>
        public static TaskCharge? Of(TaskResponse task, decimal? listPriceUsd) =>
            Of(task.State, task.Billing, task.Usage, listPriceUsd);

        public static TaskCharge? Of(TaskState state, TaskBilling? billing, TaskUsage? usage, decimal? listPriceUsd)
        {
            // RunAPI's own figures first. A refund reverses whatever was charged (its record has a time, no amount);
            // the usage cost is the charge to the digit; the settlement the same in whole cents.
            if (billing?.Refund is not null) return new TaskCharge(0m, ChargeSource.Service);
            if (usage?.Cost is { } cost) return new TaskCharge(cost, ChargeSource.Service);
            if (billing?.Settlement is { } settlement) return new TaskCharge(settlement.ChargedAmountCents / 100m, ChargeSource.Service);
            switch (state)
            {
                case TaskState.Completed:
                    return listPriceUsd is { } price ? new TaskCharge(price, ChargeSource.ListPrice) : null;
                case TaskState.Failed:
                    return new TaskCharge(0m, ChargeSource.ListPrice); // "Failed generations are not charged" (runapi.ai)
                default:
                    return null;
            }
        }
    }
}
