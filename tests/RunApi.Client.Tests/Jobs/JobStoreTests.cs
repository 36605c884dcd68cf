using System.Runtime.InteropServices;
using RunApi.Client.Jobs;

namespace RunApi.Client.Tests.Jobs;

/// <summary>Where jobs are kept on each platform, RUNAPI_JOB_PATH, and job ids.</summary>
public class JobStoreTests
{
    private static string? None(string name) => null;

    [Fact]
    public void Jobs_go_where_each_platform_keeps_a_users_application_data()
    {
        Assert.Equal(Path.Combine(@"C:\Users\ada\AppData\Local", "RunApi", "Jobs"),
            JobStore.DefaultRoot(None, OSPlatform.Windows, @"C:\Users\ada", @"C:\Users\ada\AppData\Local"));
        Assert.Equal(Path.Combine("/Users/ada", "Library", "Application Support", "RunApi", "Jobs"),
            JobStore.DefaultRoot(None, OSPlatform.OSX, "/Users/ada", ""));
        Assert.Equal(Path.Combine("/home/ada", ".local", "share", "runapi", "jobs"),
            JobStore.DefaultRoot(None, OSPlatform.Linux, "/home/ada", ""));
        Assert.Equal(Path.Combine("/data/ada", "runapi", "jobs"),
            JobStore.DefaultRoot(n => n == "XDG_DATA_HOME" ? "/data/ada" : null, OSPlatform.Linux, "/home/ada", ""));
        // The XDG rule: a relative XDG_DATA_HOME is invalid and ignored.
        Assert.Equal(Path.Combine("/home/ada", ".local", "share", "runapi", "jobs"),
            JobStore.DefaultRoot(n => n == "XDG_DATA_HOME" ? "relative/data" : null, OSPlatform.Linux, "/home/ada", ""));
    }

    [Fact]
    public void RUNAPI_JOB_PATH_moves_the_job_folder_and_every_test_process_sets_it()
    {
        var path = Environment.GetEnvironmentVariable("RUNAPI_JOB_PATH");
        Assert.False(string.IsNullOrEmpty(path));
        Assert.Equal(Path.GetFullPath(path!), JobStore.Resolve().Root);
        Assert.StartsWith(Path.GetTempPath(), JobStore.Resolve().Root);
    }

    [Fact]
    public void Ids_are_eight_characters_that_cannot_be_misread()
    {
        var ids = Enumerable.Range(0, 2000).Select(_ => JobStore.NewId()).ToList();
        Assert.All(ids, id => Assert.True(JobStore.IsId(id), id));
        Assert.All(ids, id => Assert.DoesNotMatch("[ilou]", id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.False(JobStore.IsId("../etc/x"));
        Assert.False(JobStore.IsId("abc"));
    }

    [Fact]
    public void A_new_job_gets_a_folder_of_its_own_with_its_record()
    {
        var store = new JobStore(Directory.CreateTempSubdirectory("runapi-store-").FullName);
        var a = store.Create(new JobRecord { Name = "a" });
        var b = store.Create(new JobRecord { Name = "b" });

        Assert.NotEqual(a.Id, b.Id);
        Assert.Equal("a", store.Find(a.Id)!.Record!.Name);
        Assert.Equal(2, store.All().Count());
        Assert.Equal(Path.Combine(a.Path, "journal.jsonl"), a.JournalPath);
        Directory.Delete(store.Root, recursive: true);
    }
}
