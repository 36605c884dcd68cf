using RunApi.Client.Batches;
using RunApi.Client.Journal;
using RunApi.Client.Tests.Batches;
using RunApi.Simulator;

namespace RunApi.Client.Tests.Journal;

/// <summary>A batch writing its journal: what is on disk, and when.</summary>
public class JournalBatchTests
{
    [Fact]
    public async Task A_rows_accepted_line_is_on_disk_before_its_create_is_sent_and_every_step_follows()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("runapi-journal-").FullName, "batch.jsonl");
        using var journal = BatchJournal.Open(path, "0.1.0");
        await using var h = await BatchHarness.StartAsync(new BatchSettings { Goal = BatchGoal.Save, Journal = journal });
        h.Sim.Faults.Add(FaultRule.Delay(TimeSpan.FromSeconds(1)).For("POST", BatchHarness.CreatePath));
        var inputs = BatchHarness.Prompts(3).Select((input, row) =>
        {
            input.JournalRow = row;
            input.JournalInput = input.Request!.ToJson();
            return input;
        }).ToList();

        var consumer = h.SubmitAll(inputs);
        await h.PausesPending(3); // the three creates are held by the simulator: sent, not answered
        var onDisk = JournalFile.Read(path);
        Assert.Equal(3, onDisk.Count);
        Assert.All(inputs, input =>
        {
            var row = onDisk[input.JournalRow!.Value];
            Assert.Equal(input.IdempotencyKey, row.IdempotencyKey);
            Assert.True(row.CreateMayExist);
        });
        await h.RunClockUntil(consumer);
        journal.Dispose();

        var rows = JournalFile.Read(path);
        Assert.All(inputs, input =>
        {
            var row = rows[input.JournalRow!.Value];
            Assert.Equal(input.TaskId, row.TaskId);
            Assert.Equal("completed", row.Status);
            Assert.True(File.Exists(row.Saved[0]));
        });
        Assert.DoesNotContain(h.Sim.ApiKey, File.ReadAllText(path));
    }
}
