using RunApi.Client.Models;
using RunApi.Client.Polling;

namespace RunApi.Client.Tests;

/// <summary>What a look teaches the learned delay while a rate limit paces the looks (the delay alone, no client).</summary>
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
}
