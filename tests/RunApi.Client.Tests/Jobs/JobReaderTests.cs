using System.Diagnostics;
using System.Text;
using RunApi.Client.Jobs;

namespace RunApi.Client.Tests.Jobs;

/// <summary>Reading jobs for Get-ImagenJob: a 100,000-row job lists from its summary, and a summary is believed only when it is the journal's.</summary>
public class JobReaderTests : IDisposable
{
    private readonly JobStore _store = new(Directory.CreateTempSubdirectory("runapi-reader-").FullName);

    public void Dispose() => Directory.Delete(_store.Root, recursive: true);

    /// <summary>A journal of <paramref name="rows"/> rows as New-ImagenImage -OutputDirectory writes them, all saved.</summary>
    private JobFolder JobOf(int rows, bool ended = true)
    {
        var folder = _store.Create(new JobRecord { Name = "big", Goal = "save" });
        var text = new StringBuilder();
        text.Append($$"""{"event":"RunApi batch journal","format":2,"module":"0.1.0","origin":"https://runapi.ai","job":"{{folder.Id}}","at":"2026-05-14T02:10:00+00:00"}""").Append('\n');
        text.Append("""{"event":"run","at":"2026-05-14T02:10:00+00:00","pid":1,"started":"2026-05-14T02:09:59+00:00","host":"elsewhere","goal":"save","inputEnded":false}""").Append('\n');
        for (var row = 0; row < rows; row++)
        {
            var task = $"task_{row:x24}";
            text.Append($$"""{"event":"accepted","at":"2026-05-14T02:10:01.123+00:00","row":{{row}},"key":"{{Guid.NewGuid():N}}","endpoint":"text_to_image","input":{"model":"imagen-4-fast","prompt":"product photo {{row}} of a ceramic mug on a white background, studio light"},"cents":4}""").Append('\n');
            text.Append($$"""{"event":"created","at":"2026-05-14T02:10:01.223+00:00","row":{{row}},"taskId":"{{task}}","status":"pending"}""").Append('\n');
            text.Append($$"""{"event":"completed","at":"2026-05-14T02:10:02.223+00:00","row":{{row}},"images":["https://file.runapi.ai/generated/{{task}}/0.png"],"charged":0.04,"chargeSource":"Service"}""").Append('\n');
            text.Append($$"""{"event":"saved","at":"2026-05-14T02:10:02.523+00:00","row":{{row}},"image":0,"path":"/srv/images/out/{{task}}_0.png"}""").Append('\n');
        }
        if (ended) text.Append("""{"event":"end","at":"2026-05-14T03:10:00+00:00","reason":"completed","inputEnded":true}""").Append('\n');
        File.WriteAllText(folder.JournalPath, text.ToString(), new UTF8Encoding(false));
        return folder;
    }

    [Fact]
    public void A_job_of_100000_rows_lists_in_well_under_a_second_from_its_summary()
    {
        var folder = JobOf(100_000);

        var fold = Stopwatch.StartNew();
        var first = JobReader.Read(folder)!; // no summary yet: the journal is folded, and the summary written back
        fold.Stop();
        var list = Stopwatch.StartNew();
        var again = JobReader.Read(_store.Find(folder.Id)!)!;
        list.Stop();

        Assert.Equal((100_000, 100_000, JobStatus.Completed, 0), (first.Summary.Rows, first.Summary.Saved, first.State, first.ExitCode));
        Assert.Equal((100_000, 100_000, JobStatus.Completed), (again.Summary.Rows, again.Summary.Saved, again.State));
        Assert.True(list.Elapsed < TimeSpan.FromSeconds(1), $"listed in {list.Elapsed.TotalMilliseconds:0} ms (the fold took {fold.Elapsed.TotalMilliseconds:0} ms)");
        Assert.True(File.Exists(folder.SummaryPath));
    }

    [Fact]
    public void A_summary_that_is_not_the_journals_is_never_believed()
    {
        var folder = JobOf(10, ended: false); // a writer that was killed: no end line, its process gone
        JobReader.Read(folder);
        // A summary that says more than the journal, as one written just before lines torn away by a crash.
        File.WriteAllText(folder.SummaryPath, File.ReadAllText(folder.SummaryPath).Replace("\"saved\":10", "\"saved\":99"));
        File.AppendAllText(folder.JournalPath, """{"event":"accepted","row":10,"key":"k","endpoint":"text_to_image","input":{"model":"imagen-4","prompt":"x"}}""" + "\n");

        var job = JobReader.Read(_store.Find(folder.Id)!)!;

        Assert.Equal((11, 10, 1), (job.Summary.Rows, job.Summary.Saved, job.Summary.Pending));
        Assert.Equal(JobStatus.Interrupted, job.State);
        Assert.Equal(job.Summary.Rows, job.Summary.Saved + job.Summary.Failed + job.Summary.Pending + job.Summary.NotSent);
    }
}
