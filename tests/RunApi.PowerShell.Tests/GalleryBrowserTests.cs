using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using RunApi.PowerShell.Tests.Support;
using Xunit.Abstractions;

namespace RunApi.PowerShell.Tests;

/// <summary>A gallery page in a real browser (headless Chromium): it renders, filters and sorts, offline and inert.</summary>
[Trait("Category", "Browser")]
public class GalleryBrowserTests(ITestOutputHelper output)
{
    private const string Pwned = "document.title='pwned'";

    [BrowserFact]
    public async Task The_page_renders_every_image_filters_and_sorts_with_no_script_error_and_no_network_request()
    {
        // RUNAPI_GALLERY_SIZE makes a larger page, to time it by hand (bench/README.md); 200 by default.
        var size = int.TryParse(Environment.GetEnvironmentVariable("RUNAPI_GALLERY_SIZE"), out var n) ? n : 200;
        await using var session = await ModuleSession.StartAsync();
        var pagePath = WriteGallery(session, size);
        var html = GalleryHtml.Load(pagePath);
        var reds = html.Cards.Count(c => c.Data("prompt")!.Contains("red"));

        await using var browser = await Chromium.StartAsync();
        foreach (var domain in new[] { "Page", "Runtime", "Log", "Network" }) await browser.SendAsync(domain + ".enable");
        await browser.SendAsync("Emulation.setDeviceMetricsOverride", new { width = 1280, height = 900, deviceScaleFactor = 1, mobile = false });

        var clock = Stopwatch.StartNew();
        var loaded = browser.NextEvent("Page.loadEventFired");
        await browser.SendAsync("Page.navigate", new { url = new Uri(pagePath).AbsoluteUri });
        await loaded;
        var loadMs = clock.ElapsedMilliseconds;

        Assert.Equal("Gallery under test", (string?)await browser.EvaluateAsync("document.title"));
        Assert.Equal(size, (int)(await browser.EvaluateAsync("document.querySelectorAll('#grid .card img').length"))!);
        Assert.Equal($"{size} shown", (string?)await browser.EvaluateAsync("document.getElementById('shown').textContent"));

        // The images in view load (their relative links resolve); lazy ones load once scrolled to.
        var inView = (await browser.EvaluateAsync(LoadedWidths("[...document.images]")))!.AsArray();
        Assert.NotEmpty(inView);
        Assert.All(inView, width => Assert.True((int)width! > 0));
        await browser.EvaluateAsync("document.images[document.images.length - 1].scrollIntoView()");
        var atEnd = (await browser.EvaluateAsync(LoadedWidths("[document.images[document.images.length - 1]]")))!.AsArray();
        Assert.True((int)Assert.Single(atEnd)! > 0);
        await browser.EvaluateAsync("window.scrollTo(0, 0)");

        // The filter: every word must match; it applies after typing pauses.
        clock.Restart();
        var shown = await browser.EvaluateAsync("""
            new Promise(resolve => {
              const shown = document.getElementById('shown');
              new MutationObserver(() => resolve(shown.textContent)).observe(shown, { childList: true, characterData: true, subtree: true });
              const filter = document.getElementById('filter');
              filter.value = 'RED cube';
              filter.dispatchEvent(new Event('input', { bubbles: true }));
            })
            """);
        var filterMs = clock.ElapsedMilliseconds;
        Assert.Equal($"{reds} of {size} shown", (string?)shown);
        var visible = (await browser.EvaluateAsync("[...document.querySelectorAll('.card')].filter(c => !c.hidden).map(c => c.dataset.prompt)"))!.AsArray();
        Assert.Equal(reds, visible.Count);
        Assert.All(visible, p => Assert.Contains("red cube", (string)p!));

        // The sort: by prompt, then newest first.
        await browser.EvaluateAsync("document.getElementById('filter').value = ''; document.getElementById('filter').dispatchEvent(new Event('input'))");
        clock.Restart();
        var byPrompt = (await browser.EvaluateAsync(SortedBy("prompt", "c.dataset.prompt")))!.AsArray().Select(p => (string)p!).Where(p => p.StartsWith("prompt ")).ToList();
        Assert.Equal(byPrompt.OrderBy(p => p, StringComparer.Ordinal), byPrompt);
        var sortMs = clock.ElapsedMilliseconds;
        var byTime = (await browser.EvaluateAsync(SortedBy("newest", "c.dataset.time")))!.AsArray().Select(t => (string)t!).ToList();
        Assert.Equal(byTime.OrderByDescending(t => t, StringComparer.Ordinal), byTime);
        await browser.EvaluateAsync(SortedBy("", "c.dataset.prompt"));

        // The hostile prompts show as text and ran nothing.
        Assert.Equal(2, (int)(await browser.EvaluateAsync($"[...document.querySelectorAll('figcaption p')].filter(p => p.textContent.includes(\"{Pwned}\")).length"))!);
        Assert.Equal("Gallery under test", (string?)await browser.EvaluateAsync("document.title"));

        var screenshot = await browser.SendAsync("Page.captureScreenshot", new { format = "png" });
        var artifacts = Path.Combine(ModuleSession.RepoRoot, "out", "test-artifacts");
        Directory.CreateDirectory(artifacts);
        var shot = Path.Combine(artifacts, "gallery-screenshot.png");
        await File.WriteAllBytesAsync(shot, Convert.FromBase64String((string)screenshot["data"]!));
        output.WriteLine($"Screenshot: {shot}");
        var timing = await browser.EvaluateAsync("(n => [n.domInteractive, n.domContentLoadedEventEnd, n.loadEventEnd].map(Math.round))(performance.getEntriesByType('navigation')[0])");
        output.WriteLine($"{size} entries ({new FileInfo(pagePath).Length / 1024} KiB): load event after {loadMs} ms (parsed {timing![0]}, DOMContentLoaded {timing[1]}, " +
                         $"load {timing[2]} ms after navigation start), filter shown after {filterMs} ms (100 ms of it the typing pause), sorts after {sortMs} ms.");

        var events = browser.Events;
        Assert.Empty(events.Where(e => e.Method == "Runtime.exceptionThrown").Select(e => e.Params.ToJsonString()));
        Assert.Empty(events.Where(e => e.Method == "Log.entryAdded" && (string?)e.Params["entry"]!["level"] == "error").Select(e => e.Params.ToJsonString()));
        Assert.Empty(events.Where(e => e.Method == "Runtime.consoleAPICalled" && (string?)e.Params["type"] == "error").Select(e => e.Params.ToJsonString()));
        var requests = events.Where(e => e.Method == "Network.requestWillBeSent").Select(e => (string)e.Params["request"]!["url"]!).ToList();
        Assert.NotEmpty(requests);
        Assert.All(requests, url => Assert.True(url.StartsWith("file:", StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal), url));
    }

    /// <summary>
    /// The naturalWidth of those of the images that are in view, once each has loaded (0 if it failed). In view as an
    /// IntersectionObserver sees it: reading 5,000 layout boxes one by one would force the layout of every card.
    /// </summary>
    private static string LoadedWidths(string images) => $$"""
        new Promise(resolve => {
          const watch = new IntersectionObserver(entries => {
            watch.disconnect();
            Promise.all(entries.filter(e => e.isIntersecting).map(e => e.target).map(i => i.complete ? i.naturalWidth
              : new Promise(done => { i.addEventListener('load', () => done(i.naturalWidth)); i.addEventListener('error', () => done(0)); })))
              .then(resolve);
          });
          {{images}}.forEach(i => watch.observe(i));
        })
        """;

    private static string SortedBy(string order, string value) => $$"""
        (() => {
          const sort = document.getElementById('sort');
          sort.value = '{{order}}';
          sort.dispatchEvent(new Event('change'));
          return [...document.querySelectorAll('#grid .card')].map(c => {{value}});
        })()
        """;

    /// <summary>One simulator image copied to <paramref name="size"/> files with varied provenance, two prompts hostile.</summary>
    private static string WriteGallery(ModuleSession session, int size)
    {
        var saved = session.Run("New-ImagenImage 'a red cube' -OutputDirectory ./seed").Objects<FileInfo>().Single();
        var folder = Path.Combine(session.Folder, "batch");
        Directory.CreateDirectory(folder);
        var colours = new[] { "red", "blue", "green", "amber" };
        var rows = new List<JsonObject>();
        for (var i = 0; i < size; i++)
        {
            var file = Path.Combine(folder, $"image {i:D4}.png");
            File.Copy(saved.FullName, file);
            var prompt = i switch
            {
                1 => $"<img src=x onerror=\"{Pwned}\">",
                2 => $"</script><script>{Pwned}</script>",
                _ => $"prompt {(i * 7919) % size:D4}: a {colours[i % 4]} cube on a table",
            };
            rows.Add(new JsonObject
            {
                ["FullName"] = file, ["Prompt"] = prompt, ["Model"] = i % 3 == 0 ? "imagen-4-ultra" : "imagen-4-fast", ["Seed"] = i,
                ["TaskId"] = $"task_{i:D8}", ["CompletedAt"] = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero).AddSeconds((i * 37) % size).ToString("o", CultureInfo.InvariantCulture),
            });
        }
        var json = Path.Combine(session.Folder, "rows.json");
        File.WriteAllText(json, new JsonArray(rows.ToArray()).ToJsonString());
        var result = session.Run($"Get-Content -Raw '{json}' | ConvertFrom-Json | ForEach-Object {{ $_ }} | Export-ImagenGallery ./batch/index.html -Title 'Gallery under test'");
        Assert.Empty(result.Errors);
        return Path.Combine(folder, "index.html");
    }
}
