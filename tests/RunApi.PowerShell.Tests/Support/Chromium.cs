using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RunApi.PowerShell.Tests.Support;

/// <summary>
/// Headless Chromium driven over the Chrome DevTools Protocol (a WebSocket of JSON messages): commands with ids and
/// their answers, and every event kept in arrival order. Every wait has a deadline.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode>> _answers = new();
    private readonly List<(string Method, JsonNode Params)> _events = new();
    private readonly List<(Func<string, JsonNode, bool> Match, TaskCompletionSource<JsonNode> Done)> _waiters = new();
    private readonly CancellationTokenSource _stop = new();
    private int _nextId;
    private Task _reading = Task.CompletedTask;

    private Chromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>The browser's executable: RUNAPI_CHROMIUM, else Debian's chromium; null when there is none.</summary>
    public static string? Executable { get; } =
        new[] { Environment.GetEnvironmentVariable("RUNAPI_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    public static async Task<Chromium> StartAsync()
    {
        var profile = Directory.CreateTempSubdirectory("runapi-chromium-").FullName;
        var start = new ProcessStartInfo(Executable ?? throw new InvalidOperationException("No Chromium found."))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
                     "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank" })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        var browser = new Chromium(process, profile);
        try
        {
            // Chromium announces its DevTools endpoint on stderr once it listens (the same port as DevToolsActivePort).
            var announced = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            process.ErrorDataReceived += (_, line) =>
            {
                if (line.Data?.StartsWith("DevTools listening on ", StringComparison.Ordinal) == true) announced.TrySetResult(line.Data[22..].Trim());
            };
            process.Exited += (_, _) => announced.TrySetException(new InvalidOperationException("Chromium exited with " + process.ExitCode));
            process.EnableRaisingEvents = true;
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            var browserEndpoint = new Uri(await announced.Task.WaitAsync(Deadline));
            using var http = new HttpClient { Timeout = Deadline };
            var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{browserEndpoint.Port}/json/list"))!.AsArray();
            var page = targets.First(t => (string?)t!["type"] == "page")!;
            await browser._socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), new CancellationTokenSource(Deadline).Token);
            browser._reading = Task.Run(browser.ReadAsync);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends a command and returns its result; a CDP error is an exception.</summary>
    public async Task<JsonNode> SendAsync(string method, object? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        _answers[id] = answer;
        var message = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters ?? new { } });
        await _socket.SendAsync(message, WebSocketMessageType.Text, true, _stop.Token);
        var reply = await answer.Task.WaitAsync(Deadline);
        if (reply["error"] is { } error) throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
        return reply["result"]!;
    }

    /// <summary>Evaluates an expression in the page (awaiting a promise) and returns its value.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, awaitPromise = true, returnByValue = true });
        if (result["exceptionDetails"] is { } thrown) throw new InvalidOperationException("Evaluation failed: " + thrown.ToJsonString());
        return result["result"]!["value"];
    }

    /// <summary>A task that completes with the first event (from now on) of this method that matches.</summary>
    public Task<JsonNode> NextEvent(string method, Func<JsonNode, bool>? match = null)
    {
        var done = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters) _waiters.Add(((m, p) => m == method && (match?.Invoke(p) ?? true), done));
        return done.Task.WaitAsync(Deadline);
    }

    /// <summary>Every event received so far, in order.</summary>
    public IReadOnlyList<(string Method, JsonNode Params)> Events
    {
        get
        {
            lock (_waiters) return _events.ToList();
        }
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var part = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (part.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, part.Count);
                if (!part.EndOfMessage) continue;
                var node = JsonNode.Parse(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length))!;
                message.SetLength(0);
                if (node["id"] is { } id && _answers.TryRemove((int)id, out var answer)) answer.TrySetResult(node);
                else if (node["method"] is { } method) Dispatch((string)method!, node["params"] ?? new JsonObject());
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException || ex is WebSocketException)
        {
        }
        foreach (var pending in _answers.Values) pending.TrySetException(new InvalidOperationException("The DevTools connection closed."));
    }

    private void Dispatch(string method, JsonNode parameters)
    {
        lock (_waiters)
        {
            _events.Add((method, parameters));
            foreach (var waiter in _waiters.Where(w => w.Match(method, parameters)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult(parameters);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _socket.Dispose();
        await _reading.ConfigureAwait(false);
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(Deadline);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>
/// A test that needs Chromium: skipped where there is none, unless RUNAPI_REQUIRE_BROWSER is set (CI), where a missing
/// browser fails it.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Chromium.Executable is null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("RUNAPI_REQUIRE_BROWSER")))
        {
            Skip = "Chromium is not installed (apt-get install chromium); set RUNAPI_REQUIRE_BROWSER=1 to make this a failure.";
        }
    }
}
