using System.Text.Json;
using RunApi.Simulator;

namespace RunApi.Bench.Measuring;

/// <summary>
/// The requests the simulator saw for the measured prompts, by kind. Counted on the server side so both clients are
/// counted the same way, whatever they do internally (retries included). Each worker's warm-up prompt uses another
/// model, so its requests are told apart by model: a create by its body, a poll or download by its task.
/// </summary>
public sealed record RequestCounts(int Creates, int Polls, int Downloads, IReadOnlyDictionary<string, int> PollsByTask)
{
    /// <summary>Every request to the API origin, and those answered 429 (warm-up included: a few instant prompts).</summary>
    public int ApiRequests { get; init; }
    public int Refused { get; init; }

    private const string CreatePath = "/api/v1/imagen_4/text_to_image";

    public static RequestCounts From(IEnumerable<RecordedRequest> requests, string model, Func<string, string?> modelOfTask)
    {
        int creates = 0, polls = 0, downloads = 0, api = 0, refused = 0;
        var pollsByTask = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in requests)
        {
            if (!r.OnFilesOrigin)
            {
                api++;
                if (r.StatusCode == 429) refused++;
            }
            if (!r.OnFilesOrigin && r.Method == "POST" && r.Path == CreatePath)
            {
                if (ModelOfCreate(r.Body) == model) creates++;
            }
            else if (!r.OnFilesOrigin && r.Method == "GET" && r.Path.StartsWith(CreatePath + "/", StringComparison.Ordinal))
            {
                var taskId = r.Path[(CreatePath.Length + 1)..];
                if (modelOfTask(taskId) == model)
                {
                    polls++;
                    pollsByTask[taskId] = pollsByTask.GetValueOrDefault(taskId) + 1;
                }
            }
            else if (r.OnFilesOrigin && r.Method == "GET" && r.Path.Split('/') is ["", "generated", var taskId, _])
            {
                if (modelOfTask(taskId) == model) downloads++;
            }
        }
        return new RequestCounts(creates, polls, downloads, pollsByTask) { ApiRequests = api, Refused = refused };
    }

    private static string? ModelOfCreate(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("model", out var model) ? model.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
