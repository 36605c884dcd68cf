using RunApi.PowerShell.Cmdlets;

namespace RunApi.PowerShell.UnitTests.Cmdlets;

/// <summary>
/// The pump that brings a command's news to its pipeline thread: everything it runs, runs on the thread that pumps, in
/// the order it was posted; a stop ends it.
/// </summary>
public class PipelineInboxTests
{
    private static Task OnAThreadOfItsOwn(Action pump) =>
        Task.Factory.StartNew(pump, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    [Fact]
    public async Task A_stop_ends_a_pump_that_waits_for_news()
    {
        using var work = new CancellationTokenSource();
        using var inbox = new PipelineInbox(work.Token, work.Cancel);
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        inbox.Post(() => first.SetResult());
        var pumping = OnAThreadOfItsOwn(() => inbox.RunUntil(() => false));
        await first.Task.WaitAsync(TimeSpan.FromSeconds(10));

        work.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pumping.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Actions_posted_from_many_threads_run_on_the_pumping_thread_each_threads_in_the_order_it_posted()
    {
        using var work = new CancellationTokenSource();
        using var inbox = new PipelineInbox(work.Token, work.Cancel);
        const int Threads = 4, Each = 500;
        var ran = new List<(int Thread, int Index, int On)>(); // touched by the pumping thread only
        var posters = Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < Each; i++)
            {
                var index = i;
                inbox.Post(() => ran.Add((t, index, Environment.CurrentManagedThreadId)));
            }
        })).ToArray();
        var pumpThread = 0;

        await OnAThreadOfItsOwn(() =>
        {
            pumpThread = Environment.CurrentManagedThreadId;
            inbox.RunUntil(() => ran.Count == Threads * Each);
        }).WaitAsync(TimeSpan.FromSeconds(10));
        await Task.WhenAll(posters);

        Assert.All(ran, r => Assert.Equal(pumpThread, r.On));
        for (var t = 0; t < Threads; t++)
        {
            Assert.Equal(Enumerable.Range(0, Each), ran.Where(r => r.Thread == t).Select(r => r.Index));
        }
    }

    [Fact]
    public void Nothing_is_run_once_the_work_is_stopped_not_even_what_was_already_queued()
    {
        using var work = new CancellationTokenSource();
        using var inbox = new PipelineInbox(work.Token, work.Cancel);
        var ran = 0;
        inbox.Post(() => ran++);

        work.Cancel();
        inbox.Post(() => ran++);
        inbox.RunReady();

        Assert.Equal(0, ran);
        Assert.Throws<OperationCanceledException>(() => inbox.RunUntil(() => false));
    }

    [Fact]
    public void An_action_that_throws_stops_the_work_before_it_propagates()
    {
        using var work = new CancellationTokenSource();
        using var inbox = new PipelineInbox(work.Token, work.Cancel);
        var later = false;
        inbox.Post(() => throw new InvalidOperationException("-ErrorAction Stop"));
        inbox.Post(() => later = true);

        Assert.Throws<InvalidOperationException>(() => inbox.RunReady());

        Assert.True(work.IsCancellationRequested);
        inbox.RunReady();
        Assert.False(later);
    }

    [Fact]
    public void Once_disposed_a_post_is_dropped_without_failing_the_work_that_posts_it()
    {
        using var work = new CancellationTokenSource();
        var inbox = new PipelineInbox(work.Token, work.Cancel);

        inbox.Dispose();
        inbox.Post(() => throw new InvalidOperationException("run after the command ended"));

        inbox.RunReady();
    }
}
