using RunApi.Client.Models;
using RunApi.Client.Polling;
using RunApi.Client.Tests.Support;
using RunApi.Simulator;

namespace RunApi.Client.Tests;

/// <summary>What a look teaches the learned delay while a rate limit paces the looks.</summary>
public class PacedWindowTests
{
    private static readonly TimeSpan Timeout = WaitOptions.DefaultTimeout;

    /// <summary>
    /// Looks that wait their turn under a rate limit find 3 s tasks at about 8 s, so the window is learned past imagen-4's
    /// 7 s first guess, and tasks are then found done at the guess. That is the window being right, not tasks getting
    /// faster: learned as "done at once", 16 of them pulled the window to 0.6 s, and every task took a second look (the
    /// rate-limited bench at 1.19-1.26x its bound in about half the runs).
    /// </summary>
    [Fact]
    public void Under_a_rate_limit_tasks_found_done_at_the_first_guess_keep_the_window_there()
    {
        var times = new CompletionTimes();
        for (var i = 0; i < PollTuning.Recent; i++) times.Record(8, Timeout);
        var guess = PollTuning.FirstGuess(ImagenVariants.Standard);

        for (var i = 0; i < 2 * PollTuning.Recent; i++)
        {
            var delay = new LearnedPollDelay(times, ImagenVariants.Standard, Timeout, paced: () => true);
            Assert.Equal(guess, delay.Pause(TimeSpan.Zero));
            delay.Looked(guess, done: true);
        }

        var next = new LearnedPollDelay(times, ImagenVariants.Standard, Timeout, paced: () => true);
        Assert.Equal(guess, next.Pause(TimeSpan.Zero));
    }

    /// <summary>Without a rate limit the same looks do mean the tasks got faster (the shift): the next tasks look from the start.</summary>
    [Fact]
    public void Without_a_rate_limit_tasks_found_done_at_the_first_guess_bring_the_looks_forward()
    {
        var times = new CompletionTimes();
        for (var i = 0; i < PollTuning.Recent; i++) times.Record(8, Timeout);
        var guess = PollTuning.FirstGuess(ImagenVariants.Standard);

        for (var i = 0; i < PollTuning.Recent; i++)
        {
            var delay = new LearnedPollDelay(times, ImagenVariants.Standard, Timeout, paced: () => false);
            delay.Looked(TimeSpan.FromTicks(delay.Pause(TimeSpan.Zero).Ticks), done: true);
        }

        var next = new LearnedPollDelay(times, ImagenVariants.Standard, Timeout, paced: () => false);
        Assert.True(next.Pause(TimeSpan.Zero) < TimeSpan.FromSeconds(1), $"first look at {next.Pause(TimeSpan.Zero).TotalSeconds} s");
    }

    /// <summary>
    /// A look that waits in the request budget's queue is asked seconds after it was due. Learned from when it was
    /// asked, every batch under a limit taught that tasks take longer; the last tasks of a batch, looked at with no
    /// queue, were then found seconds late (the rate-limited bench at 1.18-1.24x its bound in 3 runs of 10).
    /// </summary>
    [Fact]
    public async Task A_look_held_back_by_a_rate_limit_does_not_teach_that_tasks_take_longer()
    {
        var clock = new ObservableClock();
        var options = new SimulatorOptions { TimeProvider = clock, GenerationTime = TimeSpan.FromSeconds(3) };
        await using var simulator = await RunApiSimulator.StartAsync(options);
        var client = Clients.Learning(simulator, clock);
        for (var i = 0; i < PollTuning.Recent; i++) await clock.RunAsync(client.WaitAsync(await client.CreateAsync(new TextToImageRequest($"learned {i}"))));

        // A look answered 429 with Retry-After: 8 holds every request of the key for 8 s: a task's look, due at about
        // 3 s, waits. Four times, so that the window's far end (where nearly all tasks were done) would move.
        for (var i = 0; i < 4; i++)
        {
            var (held, _) = await clock.RunAsync(client.CreateAsync(new TextToImageRequest($"held {i}")));
            var (refused, _) = await clock.RunAsync(client.CreateAsync(new TextToImageRequest($"refused {i}")));
            simulator.Faults.Add(FaultRule.Respond(429, "{}", ("Retry-After", "8")).For("GET", "/api/v1/imagen_4/text_to_image/" + refused.Id).Times(1));
            await Assert.ThrowsAsync<Errors.RunApiException>(() => clock.RunAsync(client.GetTaskAsync(refused.Endpoint, refused.Id)));
            await clock.RunAsync(client.WaitAsync(held));
            Assert.True(clock.GetUtcNow() - simulator.FindTask(held.Id)!.CreatedAt >= TimeSpan.FromSeconds(8), "the look was held back");
        }

        var (next, _) = await clock.RunAsync(client.CreateAsync(new TextToImageRequest("after"))); // the limit paces it too
        await clock.RunAsync(client.WaitAsync(next));

        var found = clock.GetUtcNow() - simulator.FindTask(next.Id)!.CompletesAt;
        Assert.True(found <= PollTuning.SparseInterval, $"the next task was found {found.TotalSeconds:0.00} s after it completed");
    }
}
