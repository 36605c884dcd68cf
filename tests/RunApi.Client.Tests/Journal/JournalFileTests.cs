using System.Text;
using RunApi.Client.Journal;

namespace RunApi.Client.Tests.Journal;

/// <summary>Reading journals back: torn last lines, damage, other files, newer formats, and the one-writer lock.</summary>
public class JournalFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("runapi-journal-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    private const string Header = """{"event":"RunApi batch journal","format":1,"module":"0.1.0"}""";
    private const string Accepted = """{"event":"accepted","row":0,"key":"k0","endpoint":"text_to_image","input":{"model":"imagen-4","prompt":"a"},"body":{"model":"imagen-4","prompt":"a"}}""";
    private const string Created = """{"event":"created","row":0,"key":"k0","endpoint":"text_to_image","taskId":"t0","status":"processing"}""";

    private string Write(string name, string text)
    {
        var path = PathOf(name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    [Fact]
    public void A_torn_last_line_is_left_out_and_the_rows_before_it_are_read()
    {
        var path = Write("torn.jsonl", Header + "\n" + Accepted + "\n" + Created[..40]);

        var row = Assert.Single(JournalFile.Read(path)).Value;

        Assert.Equal("k0", row.IdempotencyKey);
        Assert.Null(row.TaskId);
        Assert.True(row.CreateMayExist);
    }

    [Fact]
    public void A_damaged_line_before_the_last_is_refused()
    {
        var path = Write("damaged.jsonl", Header + "\n" + Accepted[..30] + "\n" + Created + "\n");

        var error = Assert.Throws<JournalException>(() => JournalFile.Read(path));

        Assert.Equal(JournalProblem.Damaged, error.Problem);
        Assert.Contains("Line 2", error.Message);
    }

    [Theory]
    [InlineData("""{"name":"something else"}""")]
    [InlineData("id,prompt")]
    public void A_file_that_is_not_a_journal_is_refused(string firstLine)
    {
        var path = Write("other.jsonl", firstLine + "\n" + Accepted + "\n");

        Assert.Equal(JournalProblem.NotAJournal, Assert.Throws<JournalException>(() => JournalFile.Read(path)).Problem);
        Assert.Equal(JournalProblem.NotAJournal, Assert.Throws<JournalException>(() => BatchJournal.Open(path, "0.1.0")).Problem);
    }

    [Fact]
    public void A_journal_of_a_newer_format_is_refused_with_the_module_that_wrote_it()
    {
        var path = Write("newer.jsonl", """{"event":"RunApi batch journal","format":3,"module":"9.0.0"}""" + "\n");

        var error = Assert.Throws<JournalException>(() => BatchJournal.Open(path, "0.1.0"));

        Assert.Equal(JournalProblem.NewerFormat, error.Problem);
        Assert.Contains("9.0.0", error.Message);
        Assert.Contains("reads format", error.Message);
    }

    [Fact]
    public void A_journal_in_a_folder_that_does_not_exist_is_refused()
    {
        var error = Assert.Throws<JournalException>(() => BatchJournal.Open(Path.Combine(_folder, "missing", "j.jsonl"), "0.1.0"));

        Assert.Equal(JournalProblem.FolderMissing, error.Problem);
    }

    [Fact]
    public void Only_one_command_at_a_time_has_a_journal_open_and_the_lock_goes_with_it()
    {
        var path = PathOf("batch.jsonl");
        using (BatchJournal.Open(path, "0.1.0"))
        {
            var error = Assert.Throws<JournalException>(() => BatchJournal.Open(path, "0.1.0"));
            Assert.Equal(JournalProblem.InUse, error.Problem);
            Assert.Empty(JournalFile.Read(path)); // readers are not kept out
        }

        using var again = BatchJournal.Open(path, "0.1.0");
        Assert.Empty(again.Rows);
    }

    public enum OtherName { Symlink, HardLink, DotDot }

    /// <summary>Another name of the same file: the lock is on what the journal is, not on what it is called.</summary>
    private string AnotherNameOf(string path, OtherName how)
    {
        var other = PathOf("other-name.jsonl");
        switch (how)
        {
            case OtherName.Symlink:
                File.CreateSymbolicLink(other, path);
                return other;
            case OtherName.HardLink:
                var link = OperatingSystem.IsWindows()
                    ? System.Diagnostics.Process.Start("cmd.exe", ["/c", "mklink", "/H", other, path])!
                    : System.Diagnostics.Process.Start("ln", [path, other])!;
                link.WaitForExit();
                Assert.Equal(0, link.ExitCode);
                return other;
            default:
                Directory.CreateDirectory(PathOf("sub"));
                return Path.Combine(_folder, "sub", "..", Path.GetFileName(path));
        }
    }

    [Theory]
    [InlineData(OtherName.Symlink)]
    [InlineData(OtherName.HardLink)]
    [InlineData(OtherName.DotDot)]
    public async Task A_journal_open_by_one_name_is_refused_by_any_other_name_of_the_same_file(OtherName how)
    {
        // macOS has no open file description locks: the lock file beside the journal sees through symlinks, not hard links.
        if (how == OtherName.HardLink && OperatingSystem.IsMacOS()) return;
        var path = PathOf("batch.jsonl");
        var other = AnotherNameOf(Write("batch.jsonl", ""), how);

        using (var first = BatchJournal.Open(path, "0.1.0"))
        {
            var error = Assert.Throws<JournalException>(() => BatchJournal.Open(other, "0.1.0"));
            Assert.Equal(JournalProblem.InUse, error.Problem);
            Assert.Contains(other, error.Message);

            // The refused open wrote nothing and took nothing: the first command's lines still land whole.
            await first.AppendAsync(new JournalRecord { Kind = JournalRecord.Created, Row = 0, TaskId = "t0", Status = "processing" });
            Assert.Equal("t0", Assert.Single(JournalFile.Read(other)).Value.TaskId);
        }

        using var again = BatchJournal.Open(other, "0.1.0");
        Assert.Single(again.Rows);
    }

    [Fact]
    public async Task A_new_line_after_a_torn_one_starts_on_a_line_of_its_own()
    {
        var path = Write("torn.jsonl", Header + "\n" + Accepted + "\n" + Created[..40]);

        using (var journal = BatchJournal.Open(path, "0.1.0"))
        {
            await journal.AppendAsync(new JournalRecord { Kind = JournalRecord.Created, Row = 0, TaskId = "t0", Status = "processing" });
        }

        var row = Assert.Single(JournalFile.Read(path)).Value;
        Assert.Equal("t0", row.TaskId);
    }

    [Fact]
    public void A_new_attempt_of_a_row_forgets_what_the_failed_one_got()
    {
        var failed = """{"event":"failed","row":0,"stage":"wait","kind":"TaskFailed","error":"Generation failed"}""";
        var retried = Accepted.Replace("\"k0\"", "\"k1\"");
        var path = Write("retry.jsonl", string.Join("\n", Header, Accepted, Created, failed, retried) + "\n");

        var row = Assert.Single(JournalFile.Read(path)).Value;

        Assert.Equal("k1", row.IdempotencyKey);
        Assert.Null(row.TaskId);
        Assert.Null(row.Failure);
    }
}
