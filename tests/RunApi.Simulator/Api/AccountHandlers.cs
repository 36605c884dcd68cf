using System.Text.Json.Nodes;
using RunApi.Simulator.Pipeline;
using RunApi.Simulator.State;

namespace RunApi.Simulator.Api;

/// <summary>GET /api/v1/me and /api/v1/me/balance (contract §3.4).</summary>
internal sealed class AccountHandlers(SimulatorState state)
{
    public SimResponse Me() => SimResponse.Json(200, new JsonObject
    {
        ["id"] = 1,
        ["name"] = "Simulator",
        ["email"] = "sim@example.invalid",
        ["account"] = new JsonObject { ["id"] = 1, ["name"] = "simulator" },
    });

    /// <summary>All credit is paid credit; spending counts reservations minus refunds.</summary>
    public SimResponse Balance()
    {
        var now = state.Now;
        state.Tasks.SettleRefunds(now);
        var (balance, spentToday, spentTotal) = state.Ledger.Snapshot(now);
        return SimResponse.Json(200, new JsonObject
        {
            ["balance_cents"] = balance,
            ["paid_balance_cents"] = balance,
            ["bonus_balance_cents"] = 0,
            ["spent_cents_today"] = spentToday,
            ["spent_cents_total"] = spentTotal,
        });
    }
}
