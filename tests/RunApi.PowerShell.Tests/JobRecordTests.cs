using System.Text;
using System.Text.RegularExpressions;
using RunApi.Client.Tests.Hardening;
using RunApi.PowerShell.Tests.Support;
using RunApi.Simulator;

namespace RunApi.PowerShell.Tests;

/// <summary>
/// Every batch is a job: a folder of the job store (RUNAPI_JOB_PATH here) with its record (id, name, output folder,
/// settings without the key), its journal and its summary; a journal the user chose is a job too.
/// </summary>
public class JobRecordTests
{
    [Fact]
    public async Task A_batch_is_a_job_with_its_name_output_folder_and_settings_and_no_file_of_it_holds_the_key()
    {
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { ApiKey = KeyForms.AwkwardKey, GenerationTime = TimeSpan.Zero });

        var result = session.Run("'a red cube','a blue cube' | New-ImagenImage -OutputDirectory ./out -JobName nightly -ThrottleLimit 2 " +
                                 $"-ApiKey '{KeyForms.AwkwardKey}'");

        Assert.Empty(result.Errors);
        var id = Jobs.IdOf(result);
        var folder = Jobs.Folder(id);
        Assert.Equal(["job.json", "journal.jsonl", "summary.json"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        var record = Jobs.Record(id);
        Assert.Equal(id, record.GetProperty("id").GetString());
        Assert.Equal("nightly", record.GetProperty("name").GetString());
        Assert.Equal("save", record.GetProperty("goal").GetString());
        Assert.Equal(Path.Combine(session.Folder, "out"), record.GetProperty("outputDirectory").GetString());
        Assert.Equal(2, record.GetProperty("settings").GetProperty("ThrottleLimit").GetInt32());
        Assert.False(record.GetProperty("settings").TryGetProperty("ApiKey", out _));
        Assert.Equal(session.Simulator.BaseUri.GetLeftPart(UriPartial.Authority), record.GetProperty("origin").GetString());
        var summary = Jobs.Summary(id);
        Assert.Equal(2, summary.GetProperty("rows").GetInt32());
        Assert.Equal(2, summary.GetProperty("saved").GetInt32());
        Assert.StartsWith("""{"event":"RunApi batch journal","format":2,""", File.ReadLines(Path.Combine(folder, "journal.jsonl")).First());
        Assert.Contains($"\"job\":\"{id}\"", File.ReadLines(Path.Combine(folder, "journal.jsonl")).First());

        foreach (var file in Directory.GetFiles(folder))
        {
            var bytes = File.ReadAllBytes(file);
            KeyForms.AssertAbsent(KeyForms.AwkwardKey, Encoding.UTF8.GetString(bytes), Path.GetFileName(file));
            KeyForms.AssertAbsent(KeyForms.AwkwardKey, Encoding.Unicode.GetString(bytes), Path.GetFileName(file) + " read as UTF-16");
            KeyForms.AssertAbsent(KeyForms.AwkwardKey, Encoding.Latin1.GetString(bytes), Path.GetFileName(file) + " read as Latin-1");
        }
    }

    [Fact]
    public async Task A_job_is_named_by_the_time_and_the_input_when_no_name_is_given()
    {
        await using var session = await ModuleSession.StartAsync();
        File.WriteAllText(Path.Combine(session.Folder, "prompts.csv"), "Prompt\na red cube\n");

        var piped = Jobs.IdOf(session.Run("Import-Csv ./prompts.csv | New-ImagenImage"));
        var typed = Jobs.IdOf(session.Run("New-ImagenImage 'a lighthouse at dusk' -Wait"));

        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d Import-Csv ./prompts.csv$", Jobs.Record(piped).GetProperty("name").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d a lighthouse at dusk$", Jobs.Record(typed).GetProperty("name").GetString());
        Assert.Equal("create", Jobs.Record(piped).GetProperty("goal").GetString());
        Assert.Equal("complete", Jobs.Record(typed).GetProperty("goal").GetString());
    }

    [Fact]
    public async Task Two_commands_at_once_are_two_jobs_each_with_its_own_rows()
    {
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.FromMilliseconds(300) });
        await using var other = ModuleSession.Open(session.Simulator, session.Folder, ownsFolder: false);

        var results = await Task.WhenAll(
            Task.Run(() => session.Run("1..3 | ForEach-Object { \"first $_\" } | New-ImagenImage -OutputDirectory ./a")),
            Task.Run(() => other.Run("1..4 | ForEach-Object { \"second $_\" } | New-ImagenImage -OutputDirectory ./b")));

        var ids = results.Select(Jobs.IdOf).ToList();
        Assert.NotEqual(ids[0], ids[1]);
        Assert.Equal(3, Jobs.Summary(ids[0]).GetProperty("saved").GetInt32());
        Assert.Equal(4, Jobs.Summary(ids[1]).GetProperty("saved").GetInt32());
        Assert.DoesNotContain("second", File.ReadAllText(Path.Combine(Jobs.Folder(ids[0]), "journal.jsonl")));
    }

    [Fact]
    public async Task A_journal_the_user_chose_is_a_job_and_running_it_again_goes_on_with_that_job()
    {
        await using var session = await ModuleSession.StartAsync();
        const string Batch = "1..3 | ForEach-Object { \"prompt $_\" } | New-ImagenImage -OutputDirectory ./out -JournalPath ./batch.jsonl";

        var first = Jobs.IdOf(session.Run(Batch));
        var again = Jobs.IdOf(session.Run(Batch));

        Assert.Equal(first, again);
        var journal = Path.Combine(session.Folder, "batch.jsonl");
        Assert.Equal(journal, Jobs.Record(first).GetProperty("journal").GetString());
        Assert.False(File.Exists(Path.Combine(Jobs.Folder(first), "journal.jsonl")));
        Assert.Contains($"\"job\":\"{first}\"", File.ReadLines(journal).First());
        Assert.Equal(3, Jobs.Summary(first).GetProperty("saved").GetInt32());
        Assert.Equal(2, File.ReadLines(journal).Count(l => l.Contains("\"event\":\"run\"")));
    }

    [Fact]
    public async Task A_journal_of_an_earlier_version_becomes_a_job_when_it_is_resumed()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Run("1..2 | ForEach-Object { \"prompt $_\" } | New-ImagenImage -OutputDirectory ./out -JournalPath ./old.jsonl");
        // As RunApi before jobs wrote it: format 1, no job in the header, no run or end lines, no estimates or charges.
        var journal = Path.Combine(session.Folder, "old.jsonl");
        var lines = File.ReadAllLines(journal).Where(l => !l.Contains("\"event\":\"run\"") && !l.Contains("\"event\":\"end\"")).ToList();
        lines[0] = """{"event":"RunApi batch journal","format":1,"module":"0.1.0","origin":"ORIGIN"}""".Replace("ORIGIN", session.Simulator.BaseUri.GetLeftPart(UriPartial.Authority));
        File.WriteAllLines(journal, lines.Select(l => Regex.Replace(l, ",\"(cents|charged|chargeSource|errorId)\":[^,}]+", "")));
        var posts = session.Simulator.Requests.Count(r => r.Method == "POST");

        var result = session.Run("1..3 | ForEach-Object { \"prompt $_\" } | New-ImagenImage -OutputDirectory ./out -JournalPath ./old.jsonl");

        Assert.Empty(result.Errors);
        Assert.Equal(posts + 1, session.Simulator.Requests.Count(r => r.Method == "POST"));
        var id = Jobs.IdOf(result);
        Assert.Equal(journal, Jobs.Record(id).GetProperty("journal").GetString());
        Assert.Equal(3, Jobs.Summary(id).GetProperty("saved").GetInt32());
        Assert.Equal(24, Jobs.Summary(id).GetProperty("estimatedCents").GetInt32()); // the old rows priced from their requests
    }

    [Fact]
    public async Task WhatIf_makes_no_job()
    {
        await using var session = await ModuleSession.StartAsync();

        var result = session.Run("'a red cube','a blue cube' | New-ImagenImage -JobName whatif-makes-none -WhatIf");

        Assert.DoesNotContain(result.Information, l => l.Contains("Get-ImagenJob"));
        Assert.DoesNotContain(Directory.GetDirectories(Jobs.Root), folder =>
            File.Exists(Path.Combine(folder, "job.json")) && File.ReadAllText(Path.Combine(folder, "job.json")).Contains("whatif-makes-none"));
    }
}
