using RunApi.Client.Batches;
using RunApi.Client.Models;
using RunApi.PowerShell.NewImage;

namespace RunApi.PowerShell.UnitTests.NewImage;

/// <summary>What a stopped call says of the work it paid for and did not hand over.</summary>
public class UnfinishedReportTests
{
    [Fact]
    public void Every_paid_task_is_named_then_one_command_picks_them_all_up_and_the_journal_resumes_the_rest()
    {
        var request = new TextToImageRequest("a red cube", "imagen-4");
        var paid = BatchInput.ToResume(new CreatedTask(request, new CreateTaskResponse { Id = "task_1" }, "k1", DateTimeOffset.UtcNow), "a red cube");
        var odd = BatchInput.ToResume(new CreatedTask(request, new CreateTaskResponse { Id = "task 2" }, "k2", DateTimeOffset.UtcNow), "a blue cube");
        var unanswered = BatchInput.ToCreate(request, "k3", "a green cube");
        unanswered.CountCreateAttempt();
        var notSent = BatchInput.ToCreate(request, "k4", "a cube never sent");
        var handedOver = BatchInput.ToResume(new CreatedTask(request, new CreateTaskResponse { Id = "task_5" }, "k5", DateTimeOffset.UtcNow), "done");
        handedOver.HandedOver = true;

        var warnings = UnfinishedReport.Warnings(new[] { paid, odd, unanswered, notSent, handedOver }, BatchGoal.Save, "/tmp/it's here", "/tmp/j.jsonl").ToList();

        Assert.Equal(new[]
        {
            "Task task_1 (text_to_image) for prompt 'a red cube' was created and charged, but the command stopped before it was saved.",
            "Task task 2 (text_to_image) for prompt 'a blue cube' was created and charged, but the command stopped before it was saved.",
            "The create for prompt 'a green cube' was sent, but the command stopped before RunAPI answered: a task may exist and be charged. " +
                "Run that prompt again with the same options and -IdempotencyKey k3 to get it without paying twice.",
            "To pick up the 2 paid text_to_image task(s): Wait-ImagenTask -TaskId task_1,'task 2' | Save-ImagenImage -OutputDirectory '/tmp/it''s here'",
            "Or run the same command again with -JournalPath '/tmp/j.jsonl': it resumes the batch without paying twice.",
        }, warnings);
    }
}
