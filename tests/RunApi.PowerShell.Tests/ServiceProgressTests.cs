using System.Management.Automation;
using RunApi.PowerShell.Tests.Support;
using RunApi.Simulator;

namespace RunApi.PowerShell.Tests;

/// <summary>The progress RunAPI reports of a working task (contract §3.5), on the bar of the wait.</summary>
public class ServiceProgressTests
{
    private const string Tasks = "/api/v1/imagen_4/text_to_image";

    private static FaultRule Answer(string taskId, string json, params (string, string)[] headers) =>
        FaultRule.Respond(200, json, headers).For("GET", $"{Tasks}/{taskId}");

    [Fact]
    public async Task Wait_ImagenTask_shows_the_progress_RunAPI_reports()
    {
        await using var session = await ModuleSession.StartAsync();
        // Retry-After holds the next look back a second: the bar has time to show the answer in between.
        session.Simulator.Faults.Add(Answer("task_123", """{"id":"task_123","status":"processing","progress":80}""", ("Retry-After", "1")).Times(1));
        session.Simulator.Faults.Add(Answer("task_123",
            """{"id":"task_123","status":"completed","images":[{"url":"https://file.runapi.ai/generated"}],"usage":{"cost":0.0321}}"""));

        var result = session.Run("Wait-ImagenTask task_123");

        var task = Assert.Single(result.Tasks());
        Assert.Equal(0.0321m, task.Get<decimal>("ChargedUsd"));
        Assert.Contains(session.Host.Progress, p => p.RecordType == ProgressRecordType.Processing && p.PercentComplete == 80
            && p.StatusDescription == "1 tasks: 1 generating (80%), 0 completed, 0 failed");
    }

    [Fact]
    public async Task With_several_tasks_the_bar_shows_the_mean_of_what_RunAPI_reports()
    {
        await using var session = await ModuleSession.StartAsync();
        foreach (var (id, progress) in new[] { ("task_a", 20), ("task_b", 60) })
        {
            session.Simulator.Faults.Add(Answer(id, $$"""{"id":"{{id}}","status":"processing","progress":{{progress}}}""", ("Retry-After", "1")).Times(1));
            session.Simulator.Faults.Add(Answer(id, $$"""{"id":"{{id}}","status":"completed","images":[{"url":"https://file.runapi.ai/generated"}]}"""));
        }

        session.Run("Wait-ImagenTask task_a, task_b");

        Assert.Contains(session.Host.Progress, p => p.PercentComplete == 40
            && p.StatusDescription == "2 tasks: 2 generating (40% on average), 0 completed, 0 failed");
    }

    [Fact]
    public async Task The_task_table_shows_the_progress_beside_the_status_where_RunAPI_gives_it()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Simulator.Faults.Add(Answer("task_1", """{"id":"task_1","status":"processing","progress":80}"""));
        session.Simulator.Faults.Add(Answer("task_2", """{"id":"task_2","status":"processing"}"""));

        var table = session.Run("Get-ImagenTask task_1, task_2 | Sort-Object TaskId | Format-Table | Out-String -Width 80").Output.Single().ToString();

        Assert.Matches(@"task_1\s+processing 80%", table);
        Assert.Matches(@"task_2\s+processing\s+0", table); // no figure, no percent
    }
}
