using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using RunApi.Simulator;

namespace RunApi.Client.Tests.Simulator;

/// <summary>A simulator on a fake clock plus raw HTTP clients: the helpers every simulator test uses.</summary>
internal sealed class SimHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 6, 8, 10, 30, 0, TimeSpan.Zero);

    public const string TextToImage = "/api/v1/imagen_4/text_to_image";

    public const string RemixImage = "/api/v1/imagen_4/remix_image";

    private SimHarness(RunApiSimulator simulator, FakeTimeProvider time)
    {
        Sim = simulator;
        Time = time;
        Http = new HttpClient { BaseAddress = simulator.BaseUri };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", simulator.ApiKey);
        Files = new HttpClient { BaseAddress = simulator.FilesBaseUri };
    }

    public RunApiSimulator Sim { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>API origin client, authenticated.</summary>
    public HttpClient Http { get; }

    /// <summary>Files origin client, never authenticated.</summary>
    public HttpClient Files { get; }

    public static async Task<SimHarness> StartAsync(Action<SimulatorOptions>? configure = null)
    {
        var time = new FakeTimeProvider(Start);
        var options = new SimulatorOptions { TimeProvider = time, GenerationTime = TimeSpan.FromSeconds(10), RandomSeed = 42 };
        configure?.Invoke(options);
        return new SimHarness(await RunApiSimulator.StartAsync(options), time);
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public async Task<Reply> PostAsync(string path, string json, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(json) };
        configure?.Invoke(request);
        return await Reply.ReadAsync(await Http.SendAsync(request));
    }

    public async Task<Reply> GetAsync(string path) => await Reply.ReadAsync(await Http.GetAsync(path));

    /// <summary>Creates a text-to-image task and returns its id (asserting the 200).</summary>
    public async Task<string> CreateAsync(string prompt = "a red cube", string model = "imagen-4", Action<HttpRequestMessage>? configure = null)
    {
        var reply = await PostAsync(TextToImage, $$"""{"model":"{{model}}","prompt":"{{prompt}}"}""", configure);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return reply.Body.GetProperty("id").GetString()!;
    }

    public async Task<JsonElement> GetTaskAsync(string id, string endpoint = TextToImage)
    {
        var reply = await GetAsync($"{endpoint}/{id}");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return reply.Body;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Files.Dispose();
        await Sim.DisposeAsync();
    }
}

/// <summary>A fully read response.</summary>
internal sealed record Reply(HttpStatusCode Status, string Text, HttpResponseMessage Message)
{
    public JsonElement Body => JsonDocument.Parse(Text).RootElement;

    public string? Header(string name) =>
        Message.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : Message.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(",", contentValues)
        : null;

    public static async Task<Reply> ReadAsync(HttpResponseMessage message) =>
        new(message.StatusCode, await message.Content.ReadAsStringAsync(), message);
}
