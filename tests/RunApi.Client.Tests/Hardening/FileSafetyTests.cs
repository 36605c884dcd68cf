using RunApi.Client.Downloads;
using RunApi.Client.Errors;
using RunApi.Client.Models;
using RunApi.Client.Tests.Support;
using RunApi.Simulator;

namespace RunApi.Client.Tests.Hardening;

/// <summary>Saving never replaces a file silently, never loses the old one on -Force, and tells a disk from a network.</summary>
public sealed class FileSafetyTests : IAsyncLifetime, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("runapi-files-").FullName;
    private RunApiSimulator _simulator = null!;

    public async Task InitializeAsync() =>
        _simulator = await RunApiSimulator.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.Zero, ImageBytes = 200_000 });

    public async Task DisposeAsync() => await _simulator.DisposeAsync();
    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<Uri[]> ImagesAsync(int count)
    {
        var urls = new List<Uri>();
        for (var i = 0; i < count; i++) urls.Add(new Uri((await Clients.CompletedTaskAsync(_simulator, "a red cube " + i)).Images![0].Url));
        return urls.ToArray();
    }

    [Fact]
    public async Task Two_concurrent_saves_of_one_name_give_one_file_and_one_refusal_every_time()
    {
        var urls = await ImagesAsync(2);
        for (var round = 0; round < 20; round++)
        {
            var target = Path.Combine(_folder, $"same-{round}.png");
            var downloads = urls.Select(u => Task.Run(() => new ImageDownloader(Clients.Options()).DownloadAsync(u, DownloadTarget.ExactPath(target, overwrite: false)))).ToArray();
            var outcomes = await Task.WhenAll(downloads.Select(async d => { try { await d; return "saved"; } catch (DestinationExistsException) { return "exists"; } }));

            Assert.Equal(new[] { "exists", "saved" }, outcomes.OrderBy(o => o));
            var kept = File.ReadAllBytes(target);
            Assert.Contains(urls, u => _simulator.GetImageBytes(u.Segments[^2].TrimEnd('/'), 0).SequenceEqual(kept));
        }
        Assert.Equal(20, Directory.GetFiles(_folder).Length);
    }

    [Fact]
    public void Racing_publishers_of_one_name_never_both_win()
    {
        for (var round = 0; round < 200; round++)
        {
            var final = Path.Combine(_folder, $"race-{round}.png");
            var temporaries = Enumerable.Range(0, 4).Select(i => Path.Combine(_folder, $".t{round}-{i}.partial")).ToArray();
            foreach (var (temporary, i) in temporaries.Select((t, i) => (t, i))) File.WriteAllText(temporary, "image " + i);
            using var start = new Barrier(temporaries.Length);
            var winners = 0;
            var threads = temporaries.Select(temporary => new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    LocalFiles.MoveNoReplace(temporary, final);
                    Interlocked.Increment(ref winners);
                }
                catch (DestinationExistsException)
                {
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());

            Assert.Equal(1, winners);
        }
    }

    [Fact]
    public void A_replace_that_fails_keeps_the_old_file()
    {
        var final = Path.Combine(_folder, "precious.png");
        File.WriteAllText(final, "old image");

        Assert.ThrowsAny<IOException>(() => LocalFiles.Replace(Path.Combine(_folder, ".missing.partial"), final));

        Assert.Equal("old image", File.ReadAllText(final));
    }

    [Fact]
    public async Task Force_replaces_the_old_file_with_the_new_image_in_one_step()
    {
        var url = (await ImagesAsync(1))[0];
        var final = Path.Combine(_folder, "mine.png");
        File.WriteAllText(final, "old image");

        await new ImageDownloader(Clients.Options()).DownloadAsync(url, DownloadTarget.ExactPath(final, overwrite: true));

        Assert.Equal(_simulator.GetImageBytes(url.Segments[^2].TrimEnd('/'), 0), File.ReadAllBytes(final));
        Assert.Equal(new[] { "mine.png" }, Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_file_where_the_folder_should_be_is_one_write_error_naming_it_and_no_download()
    {
        var url = (await ImagesAsync(1))[0];
        var notAFolder = Path.Combine(_folder, "out");
        File.WriteAllText(notAFolder, "a file");
        _simulator.ResetRequests();

        var error = await Assert.ThrowsAsync<RunApiException>(() =>
            new ImageDownloader(Clients.Options(maxRetries: 3)).DownloadAsync(url, DownloadTarget.InDirectory(notAFolder, "x", false)));

        Assert.Equal(RunApiErrorKind.FileWrite, error.Kind);
        Assert.Contains(notAFolder, error.Message);
        Assert.False(error.IsTransient);
        Assert.Empty(_simulator.Requests);
    }

    [Fact]
    public async Task A_folder_where_the_file_should_be_under_force_is_a_write_error_not_a_network_one()
    {
        var url = (await ImagesAsync(1))[0];
        var final = Path.Combine(_folder, "taken.png");
        Directory.CreateDirectory(final);
        _simulator.ResetRequests();

        var error = await Assert.ThrowsAsync<RunApiException>(() =>
            new ImageDownloader(Clients.Options(maxRetries: 3)).DownloadAsync(url, DownloadTarget.ExactPath(final, overwrite: true)));

        Assert.Equal(RunApiErrorKind.FileWrite, error.Kind);
        Assert.Contains(final, error.Message);
        Assert.Single(_simulator.Requests, r => r.OnFilesOrigin); // downloaded once, not retried
        Assert.True(Directory.Exists(final));
        Assert.Empty(Directory.GetFiles(_folder, "*", SearchOption.AllDirectories));
    }

    /// <summary>A file that fills up after a few writes, as a disk does (ENOSPC).</summary>
    private sealed class FillingStream(int writesLeft) : MemoryStream
    {
        private int _writesLeft = writesLeft;

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            --_writesLeft < 0 ? throw new IOException("No space left on device") : base.WriteAsync(buffer, offset, count, cancellationToken);
    }

    [Fact]
    public async Task A_disk_that_fills_during_the_copy_is_a_write_error_not_a_network_one()
    {
        var url = (await ImagesAsync(1))[0];
        var rules = new Http.AttemptRules("The download of x", TimeSpan.FromSeconds(30), TimeProvider.System, key: null);
        using var attempt = await Http.HttpAttempt.SendAsync(new HttpClient(), url, u => new HttpRequestMessage(HttpMethod.Get, u), rules, CancellationToken.None);

        var error = await Assert.ThrowsAsync<RunApiException>(() =>
            attempt.CopyAsync(new FillingStream(1), long.MaxValue, null, ex => LocalFiles.WriteFailed("/out/x.png", ex)));

        Assert.Equal(RunApiErrorKind.FileWrite, error.Kind);
        Assert.Equal("The image could not be written to '/out/x.png': No space left on device", error.Message);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task A_file_name_near_the_limit_is_saved_its_temporary_name_is_short()
    {
        var url = (await ImagesAsync(1))[0];
        var final = Path.Combine(_folder, new string('n', 245) + ".png"); // 249 characters, 6 under the limit

        var saved = await new ImageDownloader(Clients.Options()).DownloadAsync(url, DownloadTarget.ExactPath(final, overwrite: false));

        Assert.Equal(final, saved.Path);
        Assert.True(File.Exists(final));
    }
}
