using System.Text.Json.Serialization;

namespace RunApi.Client.Models
{
    /// <summary>GET /api/v1/me/balance: the balance and the spending, in cents.</summary>
    /// <summary>The account's balance as RunAPI reports it; a field it leaves out is unknown (null), not zero.</summary>
    internal sealed class AccountBalance
    {
        [JsonPropertyName("balance_cents")] public long? BalanceCents { get; set; }
        [JsonPropertyName("paid_balance_cents")] public long? PaidBalanceCents { get; set; }
        [JsonPropertyName("bonus_balance_cents")] public long? BonusBalanceCents { get; set; }
        [JsonPropertyName("spent_cents_today")] public long? SpentCentsToday { get; set; }
        [JsonPropertyName("spent_cents_total")] public long? SpentCentsTotal { get; set; }
    }
}
