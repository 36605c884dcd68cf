using System;
using System.Collections.Generic;
using System.Globalization;
using RunApi.Client.Models;

namespace RunApi
{
    /// <summary>
    /// RunAPI's billing facts of a task (contract §3.3): what it reserved when it accepted the create, what it settled
    /// once the task completed, and when it refunded. A part it did not record is null. As text (Export-Csv), one line.
    /// </summary>
    public sealed class ImagenBilling
    {
        private ImagenBilling(BillingReservation? reservation, BillingSettlement? settlement, BillingRefund? refund)
        {
            ReservedCents = reservation?.AmountCents;
            SettledCents = settlement?.ChargedAmountCents;
            SettledMicroCents = settlement?.AmountMicroCents;
            Refunded = refund is not null;
            RefundedAt = DateTimeOffset.TryParse(refund?.RefundedAt, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : (DateTimeOffset?)null;
        }

        /// <summary>
        /// The facts of a task's latest answer, each part it lacks taken from what was known before: the reservation
        /// comes with the create's answer, and a look at the task may not repeat it. Null when neither has any.
        /// </summary>
        internal static ImagenBilling? From(TaskBilling? latest, ImagenBilling? known)
        {
            var billing = new ImagenBilling(latest?.Reservation, latest?.Settlement, latest?.Refund);
            if (known is not null)
            {
                billing.ReservedCents ??= known.ReservedCents;
                if (billing.SettledCents is null)
                {
                    billing.SettledCents = known.SettledCents;
                    billing.SettledMicroCents = known.SettledMicroCents;
                }
                if (!billing.Refunded)
                {
                    billing.Refunded = known.Refunded;
                    billing.RefundedAt = known.RefundedAt;
                }
            }
            return billing.ReservedCents is null && billing.SettledCents is null && !billing.Refunded ? null : billing;
        }

        /// <summary>What RunAPI reserved when it accepted the create.</summary>
        public long? ReservedCents { get; private set; }
        public decimal? ReservedUsd => ReservedCents / 100m;

        /// <summary>What RunAPI settled (charged) once the task completed, in cents and in micro-cents (millionths of a cent).</summary>
        public long? SettledCents { get; private set; }
        public long? SettledMicroCents { get; private set; }
        public decimal? SettledUsd => SettledCents / 100m;

        /// <summary>True when RunAPI refunded the task (a failed generation is not charged).</summary>
        public bool Refunded { get; private set; }
        public DateTimeOffset? RefundedAt { get; private set; }

        public override string ToString()
        {
            var parts = new List<string>();
            if (ReservedUsd is { } reserved) parts.Add("reserved " + Usd(reserved));
            if (SettledUsd is { } settled) parts.Add("settled " + Usd(settled));
            if (Refunded) parts.Add(RefundedAt is { } at ? "refunded " + at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "refunded");
            return string.Join("; ", parts);
        }

        private static string Usd(decimal usd) => usd.ToString("$0.00", CultureInfo.InvariantCulture);
    }
}
