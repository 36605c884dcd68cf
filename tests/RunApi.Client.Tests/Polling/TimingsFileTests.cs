using RunApi.Client.Polling;

namespace RunApi.Client.Tests.Polling;

/// <summary>Learned task times outlive the process: a later one starts as well timed as a warm one.</summary>
public sealed class TimingsFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("runapi-timings-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly Uri Service = new("https://api.example.com");

    [Fact]
    public void Times_learned_by_one_process_seed_the_next()
    {
        var path = Path.Combine(_folder, "cache", "task-timings.json");
        var first = new CompletionTimesRegistry(new TimingsFile(path, keepsLoopback: false));
        var times = first.For(Service, "imagen-4");
        for (var i = 0; i < 20; i++) times.Record(TimeSpan.FromSeconds(8 + i % 5));

        Assert.True(File.Exists(path)); // written after every 16 new times, not only at exit
        first.Save();
        var next = new CompletionTimesRegistry(new TimingsFile(path, keepsLoopback: false)).For(Service, "imagen-4");

        Assert.Equal(times.Seconds(), next.Seconds());
        Assert.Equal(times.Quantile(0.5), next.Quantile(0.5));
        Assert.Equal(0, new CompletionTimesRegistry(new TimingsFile(path, keepsLoopback: false)).For(Service, "imagen-4-fast").Count);
        Assert.DoesNotContain("Bearer", File.ReadAllText(path));
    }

    [Fact]
    public void The_default_file_keeps_no_loopback_origin_and_can_be_turned_off()
    {
        var file = TimingsFile.FromEnvironment(name => name switch { "XDG_CACHE_HOME" => _folder, "HOME" => _folder, _ => null });
        Assert.NotNull(file);
        Assert.False(file!.Keeps(new Uri("http://127.0.0.1:5080")));
        Assert.True(file.Keeps(Service));
        Assert.StartsWith(_folder, file.Path);
        Assert.Null(TimingsFile.FromEnvironment(name => name == "RUNAPI_NO_TIMINGS_CACHE" ? "1" : null));
        Assert.True(TimingsFile.FromEnvironment(name => name == "RUNAPI_TIMINGS_PATH" ? Path.Combine(_folder, "t.json") : null)!
            .Keeps(new Uri("http://127.0.0.1:5080")));
    }

    [Fact]
    public void A_damaged_file_is_ignored()
    {
        var path = Path.Combine(_folder, "task-timings.json");
        File.WriteAllText(path, "{ not json");
        Assert.Equal(0, new CompletionTimesRegistry(new TimingsFile(path, keepsLoopback: false)).For(Service, "imagen-4").Count);
    }
}
