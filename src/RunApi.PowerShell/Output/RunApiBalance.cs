using RunApi.Client.Models;

namespace RunApi
{
    /// <summary>
    /// The account's balance and spending (Get-RunApiBalance), in US dollars and in the API's cents. A figure RunAPI
    /// did not give is null: unknown, not zero.
    /// </summary>
    public sealed class RunApiBalance
    {
        internal RunApiBalance(AccountBalance balance)
        {
            BalanceCents = balance.BalanceCents;
            PaidBalanceCents = balance.PaidBalanceCents;
            BonusBalanceCents = balance.BonusBalanceCents;
            SpentTodayCents = balance.SpentCentsToday;
            SpentTotalCents = balance.SpentCentsTotal;
        }

        /// <summary>What can be spent: the paid balance plus the bonus.</summary>
        public decimal? BalanceUsd => BalanceCents / 100m;
        public decimal? PaidBalanceUsd => PaidBalanceCents / 100m;
        public decimal? BonusBalanceUsd => BonusBalanceCents / 100m;
        public decimal? SpentTodayUsd => SpentTodayCents / 100m;
        public decimal? SpentTotalUsd => SpentTotalCents / 100m;

        public long? BalanceCents { get; }
        public long? PaidBalanceCents { get; }
        public long? BonusBalanceCents { get; }
        public long? SpentTodayCents { get; }
        public long? SpentTotalCents { get; }

        public override string ToString() => BalanceUsd?.ToString("$0.00", System.Globalization.CultureInfo.InvariantCulture) ?? "unknown";
    }
}
