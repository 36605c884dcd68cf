using System.Text.Json.Serialization;

namespace RunApi.Client.Models
{
    /// <summary>Billing facts of a task; each part is null when it was not recorded.</summary>
    internal sealed class TaskBilling
    {
        [JsonPropertyName("reservation")] public BillingReservation? Reservation { get; set; }
        [JsonPropertyName("settlement")] public BillingSettlement? Settlement { get; set; }
        [JsonPropertyName("refund")] public BillingRefund? Refund { get; set; }
    }

    internal sealed class BillingReservation
    {
        [JsonPropertyName("amount_cents")] public long AmountCents { get; set; }
    }

    internal sealed class BillingSettlement
    {
        [JsonPropertyName("charged_amount_cents")] public long ChargedAmountCents { get; set; }
        [JsonPropertyName("amount_micro_cents")] public long AmountMicroCents { get; set; }
    }

    internal sealed class BillingRefund
    {
        /// <summary>RFC 3339 UTC time of the refund.</summary>
        [JsonPropertyName("refunded_at")] public string? RefundedAt { get; set; }
    }
}
