using System.Net;
using RunApi.Simulator;

namespace RunApi.Client.Tests.Simulator;

public sealed class RequestRecordingTests
{
    [Fact]
    public async Task Requests_are_recorded_with_headers_body_status_and_request_id()
    {
        await using var h = await SimHarness.StartAsync();
        h.Http.DefaultRequestHeaders.UserAgent.ParseAdd("RunApi-Tests/1.0");

        var reply = await h.PostAsync(SimHarness.TextToImage, """{"model":"imagen-4","prompt":"a red cube"}""", r =>
        {
            r.Headers.Add("Idempotency-Key", "idem-1");
            r.Headers.Add("X-Client-Request-Id", "client-1");
        });

        var recorded = Assert.Single(h.Sim.Requests);
        Assert.Equal("POST", recorded.Method);
        Assert.Equal(SimHarness.TextToImage, recorded.Path);
        Assert.Equal("", recorded.QueryString);
        Assert.False(recorded.OnFilesOrigin);
        Assert.Equal($"Bearer {h.Sim.ApiKey}", recorded.Authorization);
        Assert.Equal("idem-1", recorded.IdempotencyKey);
        Assert.Equal("client-1", recorded.ClientRequestId);
        Assert.Equal("RunApi-Tests/1.0", recorded.UserAgent);
        Assert.Equal("""{"model":"imagen-4","prompt":"a red cube"}""", recorded.Body);
        Assert.Equal(200, recorded.StatusCode);
        Assert.Equal(reply.Header("x-request-id"), recorded.RequestId);
        Assert.Equal("client-1", reply.Header("X-Client-Request-Id"));
        Assert.Equal(SimHarness.Start, recorded.ReceivedAt);
        Assert.Equal("application/json; charset=utf-8", recorded.Headers["content-type"]);
        Assert.Equal("client-1", h.Sim.Tasks.Single().ClientRequestId);
    }

    [Fact]
    public async Task Request_ids_are_unique_and_the_log_keeps_arrival_order()
    {
        await using var h = await SimHarness.StartAsync();

        for (var i = 0; i < 5; i++)
        {
            await h.GetAsync($"/api/v1/me?n={i}");
        }

        var requests = h.Sim.Requests;
        Assert.Equal(["?n=0", "?n=1", "?n=2", "?n=3", "?n=4"], requests.Select(r => r.QueryString));
        Assert.Equal(5, requests.Select(r => r.RequestId).Distinct().Count());
        Assert.All(requests, r => Assert.Matches("^req_[0-9a-f]{16}$", r.RequestId));
    }

    [Fact]
    public async Task WaitForRequestAsync_sees_past_and_future_requests()
    {
        await using var h = await SimHarness.StartAsync();
        await h.GetAsync("/api/v1/me");

        var past = await h.Sim.WaitForRequestAsync(r => r.Path == "/api/v1/me");
        var future = h.Sim.WaitForRequestAsync(r => r.Path == "/api/v1/me/balance");
        Assert.False(future.IsCompleted);
        await h.GetAsync("/api/v1/me/balance");

        Assert.Equal(200, past.StatusCode);
        Assert.Equal("/api/v1/me/balance", (await future).Path);
    }

    [Fact]
    public async Task WaitForRequestAsync_honours_cancellation_and_disposal()
    {
        var h = await SimHarness.StartAsync();
        using var cancel = new CancellationTokenSource();
        var cancelled = h.Sim.WaitForRequestAsync(_ => false, cancel.Token);
        var orphaned = h.Sim.WaitForRequestAsync(_ => false);

        cancel.Cancel();
        await h.DisposeAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => orphaned);
    }

    [Fact]
    public async Task RequestCompleted_is_raised_for_each_response_including_dropped_ones()
    {
        await using var h = await SimHarness.StartAsync();
        var completed = new List<RecordedRequest>();
        var dropped = new TaskCompletionSource<RecordedRequest>();
        h.Sim.RequestCompleted += r =>
        {
            lock (completed)
            {
                completed.Add(r);
            }

            if (r.StatusCode == 0)
            {
                dropped.TrySetResult(r);
            }
        };
        h.Sim.Faults.Add(FaultRule.DropConnection().For("GET", "/api/v1/me/balance"));

        await h.GetAsync("/api/v1/me");
        await Assert.ThrowsAsync<HttpRequestException>(() => new HttpClient().GetAsync(new Uri(h.Sim.BaseUri, "/api/v1/me/balance")));

        Assert.Equal("/api/v1/me/balance", (await dropped.Task).Path);
        lock (completed)
        {
            Assert.Contains(completed, r => r.Path == "/api/v1/me" && r.StatusCode == 200);
        }
    }

    [Fact]
    public async Task ResetRequests_clears_the_log_but_keeps_tasks()
    {
        await using var h = await SimHarness.StartAsync();
        await h.CreateAsync();

        h.Sim.ResetRequests();
        await h.GetAsync("/api/v1/me");

        Assert.Equal("/api/v1/me", Assert.Single(h.Sim.Requests).Path);
        Assert.Single(h.Sim.Tasks);
    }

    [Fact]
    public async Task Each_simulator_gets_its_own_loopback_ports()
    {
        await using var a = await SimHarness.StartAsync();
        await using var b = await SimHarness.StartAsync();

        var ports = new[] { a.Sim.BaseUri.Port, a.Sim.FilesBaseUri.Port, b.Sim.BaseUri.Port, b.Sim.FilesBaseUri.Port };
        Assert.Equal(4, ports.Distinct().Count());
        Assert.All(new[] { a.Sim.BaseUri, a.Sim.FilesBaseUri }, u => Assert.Equal("127.0.0.1", u.Host));
        Assert.Equal("/", a.Sim.BaseUri.AbsolutePath);
    }

    [Fact]
    public async Task A_drop_on_a_reused_keep_alive_connection_reaches_the_client_once()
    {
        // SocketsHttpHandler resends a request by itself only when a pooled connection dies before the request was
        // taken; the simulator reads the whole request before dropping, so the client sees the failure and the
        // server sees exactly one attempt (what retry tests need to count attempts).
        await using var h = await SimHarness.StartAsync();
        await h.GetAsync("/api/v1/me");
        h.Sim.Faults.Add(FaultRule.DropConnection().For("GET", "/api/v1/me/balance").Times(1));

        await Assert.ThrowsAsync<HttpRequestException>(() => h.Http.GetAsync("/api/v1/me/balance"));

        Assert.Single(h.Sim.Requests, r => r.Path == "/api/v1/me/balance");
    }
}
