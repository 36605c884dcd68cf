using RunApi.Client.Batches;
using RunApi.Client.Http;
using RunApi.Client.Models;
using RunApi.Simulator;

namespace RunApi.Client.Tests.Batches;

/// <summary>The batch engine's stages and their bounds, on a fake clock shared with the simulator.</summary>
public class BatchStageTests
{
    private const string CreatePath = BatchHarness.CreatePath;

    private static IEnumerable<BatchInput> Prompts(int count) => BatchHarness.Prompts(count);

    [Fact]
    public async Task Creates_in_flight_never_exceed_the_limit_and_input_is_taken_only_when_there_is_room()
    {
        await using var h = await BatchHarness.StartAsync(new BatchSettings { CreateLimit = 3, Goal = BatchGoal.Create });
        h.Sim.Faults.Add(FaultRule.Delay(TimeSpan.FromSeconds(1)).For("POST", CreatePath));

        var consumer = h.SubmitAll(Prompts(9));
        for (var round = 1; round <= 3; round++)
        {
            await h.PausesPending(3); // three creates held by the simulator, a second each
            Assert.Equal(3 * round, h.Batch.Counts.Submitted); // the fourth input of the round is not taken yet
            Assert.Equal(3 * (round - 1), h.Sim.Tasks.Count);
            h.Clock.Advance(TimeSpan.FromSeconds(1));
            await h.Events.WhenCount("Created", 3 * round);
        }
        await consumer;

        Assert.Equal(9, h.Events.Count("Created"));
        Assert.Equal(3, h.MostInFlight(r => r.Method == "POST"));
    }

    [Fact]
    public async Task A_task_that_is_generating_holds_no_create_place()
    {
        // An hour of generation and a fake clock that never moves: were waiting tasks holding create places, the
        // third prompt could never be sent and the consumer would hang.
        await using var h = await BatchHarness.StartAsync(new BatchSettings { CreateLimit = 2, Goal = BatchGoal.Complete },
            sim => sim.GenerationTime = TimeSpan.FromHours(1));

        await h.Consume(() =>
        {
            foreach (var input in Prompts(6))
            {
                h.WaitUntil(() => h.Batch.HasRoomFor(BatchEntry.Create));
                h.Batch.Submit(input);
            }
            h.WaitUntil(() => h.Batch.Counts.Created == 6);
        });

        Assert.Equal(6, h.Sim.Tasks.Count);
        Assert.Equal(6, h.Batch.Counts.Waiting);
        Assert.Equal(0, h.Batch.Counts.Completed);
    }

    [Theory]
    [InlineData(5, 5)]    // the batch's own bound
    [InlineData(40, 16)]  // the process-wide bound for the origin and key holds whatever the batch allows
    public async Task Waits_for_any_number_of_tasks_keep_their_looks_in_flight_within_the_bounds(int lookLimit, int expected)
    {
        await using var h = await BatchHarness.StartAsync(new BatchSettings { LookLimit = lookLimit, Goal = BatchGoal.Complete });
        var ids = new List<string>();
        for (var i = 0; i < 60; i++) ids.Add((await h.Client.CreateAsync(new TextToImageRequest($"task {i}"))).Id);
        h.Sim.Faults.Add(FaultRule.Delay(TimeSpan.FromSeconds(1)).For("GET", CreatePath + "/"));

        var consumer = h.SubmitAll(ids.Select(id => BatchInput.ToWait(TaskEndpoint.TextToImage, id)));
        while (h.Events.Count("Completed") < ids.Count)
        {
            var remaining = ids.Count - h.Events.Count("Completed");
            await h.PausesPending(Math.Min(expected, remaining));
            Assert.Equal(Math.Min(expected, remaining), h.Clock.PendingPauses().Count); // no more than the bound got through
            var before = h.Events.Count("Completed");
            h.Clock.Advance(TimeSpan.FromSeconds(1));
            await h.Events.WhenCount("Completed", before + Math.Min(expected, remaining));
        }
        await consumer;

        Assert.Equal(expected, h.MostInFlight(r => r.Method == "GET"));
        Assert.Equal(0, h.Client.SharedLookGate.InUse);
    }

    [Fact]
    public async Task Downloads_in_flight_never_exceed_their_limit_and_input_waits_for_a_place()
    {
        await using var h = await BatchHarness.StartAsync(new BatchSettings { DownloadLimit = 2 });
        var images = new List<Uri>();
        for (var i = 0; i < 6; i++)
        {
            var created = await h.Client.CreateAsync(new TextToImageRequest($"image {i}"));
            images.Add(new Uri((await h.Client.GetTaskAsync(TaskEndpoint.TextToImage, created.Id)).Images![0].Url));
        }
        h.Sim.Faults.Add(FaultRule.Delay(TimeSpan.FromSeconds(1)).For("GET", "/generated/"));

        var consumer = h.SubmitAll(images.Select((url, i) =>
            BatchInput.ToSave(url, Downloads.DownloadTarget.InDirectory(h.Folder, $"image-{i}", overwrite: false))));
        for (var round = 1; round <= 3; round++)
        {
            await h.PausesPending(2);
            Assert.Equal(2 * round, h.Batch.Counts.Submitted);
            h.Clock.Advance(TimeSpan.FromSeconds(1));
            await h.Events.WhenCount("Saved", 2 * round);
        }
        await consumer;

        Assert.Equal(6, Directory.GetFiles(h.Folder, "*.png").Length);
        Assert.Equal(2, h.MostInFlight(r => r.OnFilesOrigin));
    }

    [Fact]
    public async Task Dispose_ends_every_piece_of_work_and_leaves_the_paid_tasks_open_for_reporting()
    {
        await using var h = await BatchHarness.StartAsync(new BatchSettings { Goal = BatchGoal.Save },
            sim => sim.GenerationTime = TimeSpan.FromSeconds(30));
        await h.Consume(() =>
        {
            foreach (var input in Prompts(5)) h.Batch.Submit(input);
            h.WaitUntil(() => h.Batch.Counts.Created == 5);
        });
        await h.PausesPending(5); // every task is parked in its wait

        h.Work.Dispose();

        Assert.Equal(0, h.Work.Running);
        Assert.Equal(5, h.Batch.Open.Count);
        Assert.All(h.Batch.Open, input => Assert.NotNull(input.Created));
        var requests = h.Sim.Requests.Count;
        h.Clock.Advance(TimeSpan.FromMinutes(5)); // the tasks complete; nothing is left to look at or download them
        Assert.Equal(requests, h.Sim.Requests.Count);
    }

    [Fact]
    public async Task A_create_already_sent_when_the_batch_stops_gets_its_answer_and_no_other_create_is_sent()
    {
        await using var h = await BatchHarness.StartAsync(new BatchSettings { CreateLimit = 1 });
        h.Sim.Faults.Add(FaultRule.Delay(TimeSpan.FromSeconds(1)).For("POST", CreatePath));
        var inputs = Prompts(3).ToList();
        await h.Consume(() => h.Batch.Submit(inputs[0]));
        await h.PausesPending(1); // the create is on the wire, held by the simulator

        h.Work.Stop();
        await h.Consume(() => h.Batch.Submit(inputs[1])); // taken after the stop: never sent
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        h.Work.Dispose();

        Assert.Equal(0, h.Work.Running);
        Assert.Single(h.Sim.Requests, r => r.Method == "POST");
        Assert.Equal(h.Sim.Tasks.Single().Id, inputs[0].Created?.Id); // a task with an id to report, not an unknown
        Assert.False(inputs[1].CreateSent);
    }

    [Fact]
    public void Progress_is_shown_when_it_changed_and_at_most_every_quarter_second()
    {
        var clock = new Support.ObservableClock();
        var counts = new BatchCounts(clock);
        string Describe(BatchCounts c) => $"{c.Created} created";

        Assert.Equal("0 created", counts.DueText(Describe));
        counts.Created = 1;
        Assert.Null(counts.DueText(Describe)); // changed, but too soon
        clock.Advance(BatchCounts.RefreshInterval);
        Assert.Equal("1 created", counts.DueText(Describe));
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Null(counts.DueText(Describe)); // due, but unchanged
    }

    [Fact]
    public async Task After_a_stop_the_host_hears_nothing_more_and_what_was_cut_off_stays_open_for_reporting()
    {
        // (The pump that ended on a stop moved with the pipeline thread to the module: PipelineInboxTests.)
        await using var h = await BatchHarness.StartAsync(new BatchSettings { CreateLimit = 1, Goal = BatchGoal.Complete });
        h.Sim.Faults.Add(FaultRule.Delay(TimeSpan.FromSeconds(1)).For("POST", CreatePath));
        var input = Prompts(1).Single();
        await h.Consume(() => h.Batch.Submit(input));
        await h.PausesPending(1); // the create is on the wire, held by the simulator

        h.Work.Stop();
        h.Clock.Advance(TimeSpan.FromSeconds(1)); // answered within the grace
        h.Work.Dispose();

        Assert.NotNull(input.Created); // a paid task with an id...
        Assert.Empty(h.Events.All); // ...of which the host heard nothing, not even that it ended...
        Assert.Same(input, Assert.Single(h.Batch.Open)); // ...so it is still open, for whoever ran the batch to report
        Assert.False(h.Batch.IsIdle);
        Assert.Equal(0, h.Batch.Counts.Created);
    }
}
