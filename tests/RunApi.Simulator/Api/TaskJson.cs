using System.Globalization;
using System.Text.Json.Nodes;
using RunApi.Simulator.State;

namespace RunApi.Simulator.Api;

/// <summary>The JSON shapes of a task (contract §3.1, §3.2, §3.3).</summary>
internal static class TaskJson
{
    /// <summary>The create response: a new task is always "pending"; a replay shows the task as it is now.</summary>
    public static JsonObject CreateResponse(SimulatedTask task, bool replayed, DateTimeOffset now)
    {
        var json = new JsonObject
        {
            ["id"] = task.Id,
            ["status"] = replayed ? task.StatusAt(now) : "pending",
        };
        if (replayed)
        {
            json["task_replayed"] = true;
        }

        json["billing"] = Billing(task, replayed ? task.StatusAt(now) : "pending");
        return json;
    }

    /// <summary>The GET response: images only once completed, error only once failed.</summary>
    public static JsonObject TaskResponse(SimulatedTask task, SimulatorState state)
    {
        var status = task.StatusAt(state.Now);
        var json = new JsonObject { ["id"] = task.Id, ["status"] = status };
        if (status == "completed")
        {
            var images = new JsonArray();
            for (var i = 0; i < task.ImageCount; i++)
            {
                images.Add(new JsonObject
                {
                    ["url"] = state.GeneratedImageUrl(task.Id, i),
                    ["origin_url"] = state.OriginImageUrl(task.Id, i),
                });
            }

            json["images"] = images;
        }
        else if (status == "failed")
        {
            json["error"] = "Generation failed";
        }

        json["billing"] = Billing(task, status);
        return json;
    }

    /// <summary>
    /// Reservation from acceptance; settlement equal to it once completed; for a failed task no settlement and a
    /// refund stamped with the failure time ("failed generations are not charged").
    /// </summary>
    private static JsonObject Billing(SimulatedTask task, string status) => new()
    {
        ["reservation"] = new JsonObject { ["amount_cents"] = task.PriceCents },
        ["settlement"] = status == "completed"
            ? new JsonObject
            {
                ["charged_amount_cents"] = task.PriceCents,
                // A micro-cent is a millionth of a cent.
                ["amount_micro_cents"] = task.PriceCents * 1_000_000,
            }
            : null,
        ["refund"] = status == "failed"
            ? new JsonObject { ["refunded_at"] = Rfc3339(task.CompletesAt) }
            : null,
    };

    public static string Rfc3339(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
