using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using RunApi.PowerShell.Tests.Support;

namespace RunApi.PowerShell.Tests;

/// <summary>Export-ImagenGallery: one page of a batch's images, safe with any prompt, written only when whole.</summary>
public class GalleryTests
{
    internal static readonly string[] HostilePrompts =
    {
        "<img src=x onerror=alert(1)>",
        "</script><script>document.title='pwned'</script>",
        "\" onmouseover=\"alert(1)\" data-x=\"",
        "it's a 'quoted' & <b>bold</b> prompt",
    };

    [Fact]
    public async Task The_page_has_one_card_per_saved_image_with_its_prompt_escaped_and_a_link_that_resolves()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Runspace.SessionStateProxy.SetVariable("prompts", HostilePrompts.Append("a lighthouse at dusk").ToArray());

        var result = session.Run("$prompts | New-ImagenImage -Model imagen-4-fast -Seed 5 -OutputDirectory ./out | Export-ImagenGallery ./out/index.html");

        Assert.Empty(result.Errors);
        var page = Assert.Single(result.Objects<FileInfo>());
        Assert.Equal(Path.Combine(session.Folder, "out", "index.html"), page.FullName);
        var html = GalleryHtml.Load(page.FullName);
        Assert.Equal(5, html.Cards.Count);
        foreach (var task in session.Simulator.Tasks)
        {
            var card = Assert.Single(html.Cards, c => c.Data("task") == task.Id);
            Assert.Equal(task.Prompt, card.Data("prompt"));
            Assert.Equal(task.Prompt, card.Caption);
            Assert.Equal("imagen-4-fast", card.Data("model"));
            Assert.Equal("5", card.Data("seed"));
            Assert.Equal(task.Id + "_0.png", card.Href);
            Assert.Equal(card.Href, card.ImageSrc);
            Assert.True(File.Exists(html.Resolve(card.ImageSrc!)));
        }
        // Markup only of the page's own making: no prompt's tag or quote came through unescaped.
        Assert.Equal(5, Regex.Matches(html.Text, "<img ").Count);
        Assert.Single(Regex.Matches(html.Text, "<script>").Cast<Match>());
        Assert.DoesNotContain("onerror=alert", html.Text.Replace("&lt;img src=x onerror=alert(1)&gt;", ""));
        Assert.DoesNotContain("onmouseover=\"", html.Text);
        Assert.DoesNotContain("<b>bold</b>", html.Text);
        Assert.Contains("<b>5</b> images", html.Text);
        Assert.Contains("<b>$0.20</b> estimated cost", html.Text);
        Assert.DoesNotContain(session.Simulator.ApiKey, html.Text);
    }

    [Fact]
    public async Task The_page_allows_only_its_own_inline_style_and_script_and_loads_nothing_remote()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Run("'a red cube' | New-ImagenImage -OutputDirectory ./out | Export-ImagenGallery ./out/index.html");

        var html = GalleryHtml.Load(Path.Combine(session.Folder, "out", "index.html"));
        var csp = html.Meta("Content-Security-Policy");
        Assert.NotNull(csp);
        Assert.StartsWith("default-src 'none'; img-src 'self' file:; ", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("data:", csp);
        var script = Regex.Match(html.Text, "<script>(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        var style = Regex.Match(html.Text, "<style>(.*?)</style>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("script-src " + Sha256Source(script) + ";", csp);
        Assert.Contains("style-src " + Sha256Source(style) + ";", csp);
        Assert.DoesNotMatch("(?i)(https?:|//[a-z0-9.-]+\\.[a-z]|@import|url\\()", html.Text);
    }

    [Fact]
    public async Task Links_resolve_across_folders_and_through_spaces_hash_and_percent_in_names()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Run("'a red cube' | New-ImagenImage -OutputDirectory ./out");
        var saved = Directory.GetFiles(Path.Combine(session.Folder, "out")).Single();
        var odd = Path.Combine(session.Folder, "other dir", "50% #1 ü.png");
        Directory.CreateDirectory(Path.GetDirectoryName(odd)!);
        File.Copy(saved, odd);

        var result = session.Run("Export-ImagenGallery ./pages/index.html -InputPath './other dir', ./out");

        Assert.Empty(result.Errors);
        var html = GalleryHtml.Load(Path.Combine(session.Folder, "pages", "index.html"));
        Assert.Equal(2, html.Cards.Count);
        Assert.Equal("../other%20dir/50%25%20%231%20%C3%BC.png", html.Cards[0].ImageSrc);
        Assert.Equal(odd, html.Resolve(html.Cards[0].ImageSrc!));
        Assert.Equal(saved, html.Resolve(html.Cards[1].ImageSrc!));
    }

    [Fact]
    public async Task InputPath_wildcards_read_the_provenance_embedded_in_the_files()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Run("'a red cube','a blue cube' | New-ImagenImage -Model imagen-4-ultra -Seed 3 -OutputDirectory ./out");
        File.WriteAllText(Path.Combine(session.Folder, "out", "notes.txt"), "not an image");

        var result = session.Run("Export-ImagenGallery ./out/index.html -InputPath ./out/*");

        Assert.Empty(result.Errors); // notes.txt is not an image by its name, so the wildcard passes it by
        var html = GalleryHtml.Load(Path.Combine(session.Folder, "out", "index.html"));
        Assert.Equal(new[] { "a blue cube", "a red cube" }, html.Cards.Select(c => c.Data("prompt")).OrderBy(p => p));
        Assert.All(html.Cards, c => Assert.Equal("imagen-4-ultra", c.Data("model")));
        Assert.All(html.Cards, c => Assert.Equal("3", c.Data("seed")));
        Assert.Equal(session.Simulator.Tasks.Select(t => t.Id).OrderBy(i => i), html.Cards.Select(c => c.Data("task")).OrderBy(i => i));
    }

    [Fact]
    public async Task Failed_prompts_piped_as_errors_are_counted_and_listed()
    {
        await using var session = await ModuleSession.StartAsync();

        var result = session.Run("'a red cube','a [fail] cube' | New-ImagenImage -Seed 4 -OutputDirectory ./out 2>&1 | Export-ImagenGallery ./out/index.html");

        Assert.Empty(result.Errors);
        var html = GalleryHtml.Load(Path.Combine(session.Folder, "out", "index.html"));
        var failed = Assert.Single(html.Cards, c => c.Failed);
        Assert.Equal("a [fail] cube", failed.Data("prompt"));
        Assert.Equal("4", failed.Data("seed"));
        Assert.Null(failed.ImageSrc);
        Assert.Contains("data-images=\"1\" data-failures=\"1\"", html.Text);
        Assert.Contains("<b class=\"bad\">1</b> failed", html.Text);
    }

    [Fact]
    public async Task An_existing_page_is_kept_without_Force_and_replaced_with_it()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Run("'a red cube' | New-ImagenImage -OutputDirectory ./out");
        var pagePath = Path.Combine(session.Folder, "out", "index.html");
        File.WriteAllText(pagePath, "mine");

        var refused = session.Run("Export-ImagenGallery ./out/index.html -InputPath ./out");
        var error = Assert.Single(refused.Errors);
        Assert.Equal("RunApiFileExists,RunApi.PowerShell.Commands.ExportImagenGalleryCommand", error.FullyQualifiedErrorId);
        Assert.Contains("-Force", error.Shown());
        Assert.Equal("mine", File.ReadAllText(pagePath));

        var replaced = session.Run("Export-ImagenGallery ./out/index.html -InputPath ./out -Force");
        Assert.Empty(replaced.Errors);
        Assert.Single(GalleryHtml.Load(pagePath).Cards);
        Assert.Equal(new[] { "index.html" }, Directory.GetFiles(Path.Combine(session.Folder, "out"), "*.html").Select(Path.GetFileName));
        Assert.Empty(Directory.GetFiles(Path.Combine(session.Folder, "out"), "*.partial"));
    }

    [Fact]
    public async Task WhatIf_writes_nothing_and_names_the_page()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Run("'a red cube' | New-ImagenImage -OutputDirectory ./out");
        var before = Directory.GetFileSystemEntries(Path.Combine(session.Folder, "out"));

        var result = session.Run("Export-ImagenGallery ./out/index.html -InputPath ./out -WhatIf");

        Assert.Empty(result.Output);
        Assert.Equal(before, Directory.GetFileSystemEntries(Path.Combine(session.Folder, "out")));
        Assert.Contains(session.Host.Lines, l => l.Contains("Write a gallery page") && l.Contains(Path.Combine("out", "index.html")));
    }

    [Fact]
    public async Task A_file_that_is_not_an_image_is_an_error_naming_it_and_the_rest_is_exported()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Run("'a red cube' | New-ImagenImage -OutputDirectory ./out");
        File.WriteAllText(Path.Combine(session.Folder, "out", "fake.png"), "<html>not a png</html>");

        var result = session.Run("Get-ChildItem ./out | Export-ImagenGallery ./index.html");

        var error = Assert.Single(result.Errors);
        Assert.Equal("RunApiNotAnImage,RunApi.PowerShell.Commands.ExportImagenGalleryCommand", error.FullyQualifiedErrorId);
        Assert.Contains("fake.png", error.Exception.Message);
        Assert.Single(result.Objects<FileInfo>());
        Assert.Equal("a red cube", Assert.Single(GalleryHtml.Load(Path.Combine(session.Folder, "index.html")).Cards).Data("prompt"));
    }

    [Fact]
    public async Task An_export_stopped_midway_leaves_no_page_and_no_temporary_file()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Run("'a red cube' | New-ImagenImage -OutputDirectory ./out");
        File.WriteAllText(Path.Combine(session.Folder, "out", "zz-fake.png"), "not a png");

        var result = session.Run("try { Get-ChildItem ./out | Export-ImagenGallery ./out/index.html -ErrorAction Stop } catch { $_ }");

        Assert.Contains(result.Output, o => o.BaseObject is System.Management.Automation.ErrorRecord e && e.FullyQualifiedErrorId.StartsWith("RunApiNotAnImage"));
        Assert.Empty(Directory.GetFiles(Path.Combine(session.Folder, "out"), "*.html"));
        Assert.Empty(Directory.GetFiles(Path.Combine(session.Folder, "out"), ".runapi-*"));
    }

    [Fact]
    public async Task Embed_puts_the_images_into_the_page_as_data_uris()
    {
        await using var session = await ModuleSession.StartAsync();
        var saved = session.Run("'a red cube' | New-ImagenImage -OutputDirectory ./out").Objects<FileInfo>().Single();

        session.Run("Export-ImagenGallery ./elsewhere/page.html -InputPath ./out -Embed");

        var html = GalleryHtml.Load(Path.Combine(session.Folder, "elsewhere", "page.html"));
        var card = Assert.Single(html.Cards);
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(File.ReadAllBytes(saved.FullName)), card.ImageSrc);
        Assert.Null(card.Href);
        Assert.Contains("img-src 'self' file: data:;", html.Meta("Content-Security-Policy"));
    }

    private static string Sha256Source(string text) => "'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text))) + "'";
}
