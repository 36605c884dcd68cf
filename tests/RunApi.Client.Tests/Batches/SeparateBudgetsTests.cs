using RunApi.Client.Http;
using RunApi.Client.Tests.Support;
using RunApi.Simulator;
using RunApi.Simulator.Api;
using RunApi.Simulator.Pipeline;
using RunApi.Simulator.State;

namespace RunApi.Client.Tests.Batches;

/// <summary>
/// Several processes on one key (the shards of a CI matrix), each with its own request budget, against the simulator's
/// own per-key token bucket on one fake clock, without HTTP. Every await resumes on the test's thread in the order it
/// was posted, so the run is the same every time and a busy thread pool cannot hold it up.
/// </summary>
[Collection(Alone.Name)]
public class SeparateBudgetsTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const double Limit = 15; // the simulator's bucket holds one second's worth: 15
    private const int Processes = 3;
    private const int PromptsEach = 100;
    private const int CreateLimit = 8; // New-ImagenImage's default -ThrottleLimit
    private static readonly TimeSpan Generation = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RoundTrip = TimeSpan.FromMilliseconds(20);

    /// <summary>The simulator's Retry-After at 15/s: the next token is at most 1/15 s away, rounded up to whole seconds.</summary>
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    [Fact]
    public void Three_processes_with_their_own_budgets_on_one_key_lose_nothing_and_stay_near_the_limit()
    {
        var clock = new ObservableClock();
        var key = new SharedKey(clock, Limit);
        var context = new PumpedContext();
        var started = clock.GetUtcNow();
        var shards = new List<Task>();
        context.Run(() => shards.AddRange(Enumerable.Range(0, Processes)
            .Select(_ => new Shard(new RequestBudget(clock), key, clock).RunAsync(PromptsEach))));

        while (!shards.All(s => s.IsCompleted))
        {
            var (_, due, _) = clock.PendingPauses();
            Assert.True(due is not null, "nothing is running and nothing is due: the shards are stuck");
            clock.Advance(due.Value - clock.GetUtcNow());
            context.Run(() => { });
        }
        var took = clock.GetUtcNow() - started;

        foreach (var shard in shards) Assert.True(shard.IsCompletedSuccessfully, shard.Exception?.ToString());
        var requests = key.Accepted + key.Refused;
        output.WriteLine($"{took.TotalSeconds:0.00} s; {key.Accepted} answered, {key.Refused} refused ({100.0 * key.Refused / requests:0.0}%)");
        Assert.Equal(2 * Processes * PromptsEach, key.Accepted); // every create and every look got through

        // Past the bucket's first burst, the budgets together send at no less than Backoff of the limit: a budget is cut
        // only when all of them together went over it, and keeps Backoff of its own rate. Add the first pause and the
        // last task's generation before its look.
        var paced = TimeSpan.FromSeconds((2 * Processes * PromptsEach - Limit) / (RequestBudget.Backoff * Limit));
        var finish = RetryAfter + paced + Generation;
        Assert.True(took <= finish, $"took {took.TotalSeconds:0.0} s; the bound is {finish.TotalSeconds:0.0} s");

        // Refusals. Before its first 429 comes back a process knows nothing of the limit, so what it has on the wire
        // then may all be refused: at most its create limit each (no task is done yet, so no looks). After that a 429
        // means the budgets together went over the limit; it cuts one of them by (1 - Backoff) of its rate, on average a
        // share of Limit / Processes (the one sending more is the likelier to meet the empty bucket), while each grows
        // by at most GrowthPerSecond a second: to stay at the limit they are cut at most this often. A cut also refuses what
        // its budget has on the wire: under one request at 15/s and this round trip.
        var beforeKnowing = Processes * CreateLimit;
        var cutsPerSecond = Processes * RequestBudget.GrowthPerSecond / ((1 - RequestBudget.Backoff) * Limit / Processes);
        var refusals = beforeKnowing + cutsPerSecond * took.TotalSeconds * (1 + Limit * RoundTrip.TotalSeconds);
        Assert.True(key.Refused <= refusals, $"{key.Refused} of {requests} requests were answered 429; the bound is {refusals:0}");
    }

    /// <summary>
    /// One process, as the batch engine sends: at most <see cref="CreateLimit"/> creates on the wire, and one look at
    /// each task once it is done (what the bound of 300 creates and 300 looks counts).
    /// </summary>
    private sealed class Shard(RequestBudget budget, SharedKey key, TimeProvider clock)
    {
        private int _next;

        public async Task RunAsync(int prompts)
        {
            var looks = new List<Task>();
            async Task CreateLane()
            {
                while (_next < prompts)
                {
                    _next++;
                    await SendAsync(look: false);
                    looks.Add(LookAsync());
                }
            }
            await Task.WhenAll(Enumerable.Range(0, CreateLimit).Select(_ => CreateLane()).ToList());
            await Task.WhenAll(looks);
        }

        private async Task LookAsync()
        {
            await Task.Delay(Generation, clock);
            await SendAsync(look: true);
        }

        /// <summary>As RunApiClient sends: through the budget, which hears the answer; a 429 waits its Retry-After and goes again.</summary>
        private async Task SendAsync(bool look)
        {
            while (true)
            {
                await budget.EnterAsync(look, CancellationToken.None);
                var retryAfter = key.Answer(look);
                await Task.Delay(RoundTrip, clock);
                budget.Answered(tooMany: retryAfter is not null, retryAfter);
                if (retryAfter is null) return;
                await Task.Delay(retryAfter.Value, clock);
            }
        }
    }

    /// <summary>The simulator's rate limiter for one key, asked directly: null when a request is let through, else its Retry-After.</summary>
    private sealed class SharedKey(TimeProvider clock, double limit)
    {
        private readonly RateLimiter _limiter = new(new SimulatorState(new SimulatorOptions { TimeProvider = clock, RateLimitPerSecond = limit }));

        public int Accepted { get; private set; }
        public int Refused { get; private set; }

        public TimeSpan? Answer(bool look)
        {
            var request = new SimRequest
            {
                Method = look ? "GET" : "POST",
                Path = BatchHarness.CreatePath,
                QueryString = "",
                OnFilesOrigin = false,
                Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer the-one-key" },
                Body = [],
            };
            if (_limiter.Refuse(request, isCreate: !look) is not { } refusal)
            {
                Accepted++;
                return null;
            }
            Refused++;
            return TimeSpan.FromSeconds(int.Parse(refusal.Headers.Single(h => h.Name == "Retry-After").Value));
        }
    }
}
