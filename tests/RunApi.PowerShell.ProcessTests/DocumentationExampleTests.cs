using System.Management.Automation;
using System.Text.RegularExpressions;
using RunApi.Help;
using RunApi.PowerShell.Tests.Support;

namespace RunApi.PowerShell.Tests;

/// <summary>
/// Every example is a test. Each PowerShell block of README.md and docs/*.md is read from its file when the tests run,
/// and runs on its own: in a fresh runspace with the module imported, against the simulator, in a fresh copy of the
/// example world (<see cref="ExampleWorld"/>: the files that examples name, $tasks and $done, the key in
/// $PSDefaultParameterValues and in a stand-in vault). A block sees only the world and what it defines itself, never
/// another block. README.md ("Every example is a test") says the same for the writers of examples.
///
/// A block must run without an exception and leave the error stream empty; each folder it saves to (-OutputDirectory,
/// outside -WhatIf) must then hold images, and a block that only asks -WhatIf must create no task and write no file.
/// A block about failures is listed in <see cref="AboutFailures"/>, which arranges the failure it describes and names
/// the errors it must write. A block that cannot run here is listed in <see cref="CannotRunHere"/> with the reason. An
/// entry of either list must match exactly one block, so that no entry outlives its example.
/// </summary>
[Collection(nameof(ProcessEnvironment))] // examples set $env:RUNAPI_API_KEY, which is process-wide
public class DocumentationExampleTests(ExampleWorld world) : IClassFixture<ExampleWorld>
{
    /// <summary>A block, found by its file and a piece of its code that no other block of that file has.</summary>
    public record Listed(string File, string Snippet)
    {
        public bool Matches(DocumentationExample example) => example.File == File && example.Code.Contains(Snippet, StringComparison.Ordinal);
    }

    public sealed record NotRunnable(string File, string Snippet, string Reason) : Listed(File, Snippet);

    /// <summary>An example about failures: <paramref name="Arrange"/> runs first, in its folder, to make them happen.</summary>
    public sealed record FailureExample(string File, string Snippet, string Arrange, string[] ErrorIds, string Check = "$true") : Listed(File, Snippet);

    public static readonly NotRunnable[] CannotRunHere =
    [
        new("README.md", "Install-PSResource RunApi -Repository RunApiLocal",
            "Needs the package of build.ps1 -Task Package and PSResourceGet, and registers a repository for the user; " +
            "tests/Pester/Install.Tests.ps1 does this in real pwsh with throwaway homes."),
        new("README.md", "Import-Module ./out/RunApi",
            "The first steps from a clone: the simulator on its fixed port and key, set in the process environment; " +
            "tests/Pester/Readme.Tests.ps1 walks them in a fresh pwsh."),
        new("docs/about_RunApi.md", "dotnet run --project tests/RunApi.Simulator",
            "Starts a simulator that serves until Ctrl+C; these tests run one already."),
        new("docs/about_RunApi.md", "*-Imagen*:ProxyCredential",
            "Needs a proxy that asks for credentials; ProxyTests runs this example, read from this file, through a real tinyproxy."),
        new("docs/Save-ImagenImage.md", "Save-ImagenImage -Uri https://file.runapi.ai/",
            "Downloads from RunAPI's file host, which cannot be reached from here; SaveImageTests saves by -Uri from the simulator."),
    ];

    /// <summary>A products.csv row whose generation fails, and one whose model cannot take its aspect ratio.</summary>
    private const string FailingProductRows =
        "Add-Content ./products.csv '\"a mug that cannot be drawn [fail]\",imagen-4,1:1', '\"the mug, wide\",imagen-4,21:9'";

    public static readonly FailureExample[] AboutFailures =
    [
        new("docs/New-ImagenImage.md", "-ErrorVariable failed", FailingProductRows,
            ["RunApiTaskFailed", "RunApiInvalidParameter", "RunApiTaskFailed", "RunApiInvalidParameter"]),
        new("docs/about_RunApi.md", "-ErrorVariable failed", FailingProductRows,
            ["RunApiInvalidParameter", "RunApiTaskFailed", "RunApiInvalidParameter", "RunApiTaskFailed", "RunApiInvalidParameter"]),
        new("docs/Wait-ImagenTask.md", "-ErrorVariable problems", "$tasks = @($tasks) + (New-ImagenImage 'a mug that cannot be drawn [fail]')",
            [], "$problems.Count -eq 1 -and $problems[0].TargetObject.Prompt.Contains('[fail]')"),
        new("docs/Resume-ImagenJob.md", "-ErrorVariable again", "$null = 'the nightly job of the world has a row that always fails'",
            ["RunApiTaskFailed"], "$again.Count -eq 1"),
        new("docs/Export-ImagenGallery.md", "2>&1 | Export-ImagenGallery", "Add-Content ./prompts.csv 'a cube that cannot be drawn [fail]'",
            [], "(Get-Content ./out/index.html -Raw).Contains('class=\"card failed\"')"),
    ];

    public static TheoryData<string> Runnable => new(DocumentationExample.All.Where(e => !CannotRunHere.Any(s => s.Matches(e))).Select(e => e.Name));

    [Theory]
    [MemberData(nameof(Runnable))]
    public async Task Example_runs_against_the_simulator(string example)
    {
        var block = DocumentationExample.All.Single(e => e.Name == example);
        var failure = AboutFailures.SingleOrDefault(f => f.Matches(block));
        var environment = SaveEnvironment();
        await using var session = world.OpenSession();
        try
        {
            if (failure is not null) Assert.Empty(session.Run(failure.Arrange).Errors);
            var tasksBefore = world.Simulator.Tasks.Count;
            var filesBefore = FilesIn(session.Folder);

            var result = RunBlock(session, block);

            Assert.True(ErrorIds(result).SequenceEqual((failure?.ErrorIds ?? []).Order()),
                $"Expected errors [{string.Join(", ", failure?.ErrorIds ?? [])}], got:\n" +
                string.Join("\n", result.Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e.Shown()}")));
            if (failure is not null) Assert.True(IsTrue(session.Run(failure.Check)), "After the example, this is not true: " + failure.Check);
            foreach (var folder in SavedTo(block))
            {
                var path = Path.Combine(session.Folder, folder);
                Assert.True(Directory.Exists(path) && Directory.EnumerateFiles(path, "*.png").Any(), $"No image was saved in {folder}.");
            }
            if (OnlyAsksWhatIf(block))
            {
                Assert.Equal(tasksBefore, world.Simulator.Tasks.Count);
                Assert.Equal(filesBefore, FilesIn(session.Folder));
            }
        }
        finally
        {
            RestoreEnvironment(environment);
        }
    }

    [Fact]
    public async Task The_retry_recipe_of_the_help_selects_exactly_the_rows_that_failed()
    {
        var recipes = DocumentationExample.All
            .Where(e => e.Code.Contains("-ErrorVariable failed", StringComparison.Ordinal))
            .Select(e => e.Code.Split('\n').Single(line => line.StartsWith("$failedPrompts = ", StringComparison.Ordinal)))
            .Distinct()
            .ToList();
        Assert.True(recipes.Count == 1, "The help gives different retry recipes: " + string.Join(" / ", recipes));
        await using var session = world.OpenSession();
        File.WriteAllText(Path.Combine(session.Folder, "rows.csv"), """
            Prompt,Model,AspectRatio
            a mug that is drawn,imagen-4-fast,1:1
            a mug that cannot be drawn [fail],imagen-4,1:1
            a mug too wide for its model,imagen-4,21:9
            another mug that is drawn,imagen-4,4:3

            """);

        var result = session.Run($"""
            $rows = Import-Csv ./rows.csv
            $rows | New-ImagenImage -OutputDirectory ./products -ErrorVariable failed -ErrorAction SilentlyContinue | Out-Null
            {recipes[0]}
            $rows | Where-Object Prompt -in $failedPrompts | ForEach-Object Prompt
            """);

        // One failure after its task was created (the task is the target), one before (the prompt is).
        var targets = session.Run("$failed | ForEach-Object { $_.TargetObject.GetType().Name }").Output.Select(o => o.ToString()).Order();
        Assert.Equal(["ImagenTask", "String"], targets);
        Assert.Equal(["a mug that cannot be drawn [fail]", "a mug too wide for its model"], result.Output.Select(o => o.ToString()).Order());
    }

    [Fact]
    public void Every_listed_example_is_one_block_that_exists()
    {
        var entries = CannotRunHere.Cast<Listed>().Concat(AboutFailures);
        var stale = entries
            .Select(entry => (entry, Count: DocumentationExample.All.Count(entry.Matches)))
            .Where(e => e.Count != 1)
            .Select(e => $"{e.entry.File} '{e.entry.Snippet}' matches {e.Count} blocks")
            .ToList();
        Assert.True(stale.Count == 0, "Fix these entries of DocumentationExampleTests: " + string.Join("; ", stale));
    }

    [Fact]
    public void Every_example_has_its_own_name_and_every_page_has_examples()
    {
        var names = DocumentationExample.All.Select(e => e.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        var pages = Directory.GetFiles(Path.Combine(ModuleSession.RepoRoot, "docs"), "*.md")
            .Where(path => CommandPage.IsCommandPage(MarkdownDocument.Load(path)))
            .Select(path => "docs/" + Path.GetFileName(path));
        Assert.All(pages, page => Assert.Contains(DocumentationExample.All, e => e.File == page));
    }

    private static ScriptResult RunBlock(ModuleSession session, DocumentationExample block)
    {
        try
        {
            return session.Run(block.Code);
        }
        catch (RuntimeException ex)
        {
            throw new Xunit.Sdk.XunitException($"The example stopped with {ex.ErrorRecord.FullyQualifiedErrorId}: {ex.Message}\n{block.Code}");
        }
    }

    /// <summary>The error ids of what the block wrote, sorted: concurrent work finishes in any order.</summary>
    private static IEnumerable<string> ErrorIds(ScriptResult result) => result.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]).Order();

    private static bool IsTrue(ScriptResult result) => result.Errors.Count == 0 && result.Output.Count == 1 && result.Output[0].BaseObject is true;

    /// <summary>
    /// The folders a block saves images to: -OutputDirectory in statements without -WhatIf, and without a Where-Object
    /// filter, which may leave nothing to save.
    /// </summary>
    private static IEnumerable<string> SavedTo(DocumentationExample block) =>
        Statements(block)
            .Where(statement => !statement.Contains("-WhatIf", StringComparison.Ordinal) && !statement.Contains("Where-Object", StringComparison.Ordinal))
            .SelectMany(statement => Regex.Matches(statement, @"-OutputDirectory\s+(?<dir>[^\s|]+)").Select(m => m.Groups["dir"].Value.Trim('\'', '"')))
            .Distinct();

    /// <summary>True when every statement that creates, saves or writes carries -WhatIf.</summary>
    private static bool OnlyAsksWhatIf(DocumentationExample block)
    {
        var acting = Statements(block).Where(statement => Regex.IsMatch(statement, "New-ImagenImage|Save-ImagenImage|Export-ImagenGallery")).ToList();
        return acting.Count > 0 && acting.All(statement => statement.Contains("-WhatIf", StringComparison.Ordinal));
    }

    /// <summary>The block's statements: comment lines left out, a line that ends in | or ` joined with the next.</summary>
    private static IEnumerable<string> Statements(DocumentationExample block)
    {
        var statement = "";
        foreach (var line in block.Code.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#')))
        {
            statement += " " + line.TrimEnd('`');
            if (line.EndsWith('|') || line.EndsWith('`')) continue;
            yield return statement;
            statement = "";
        }
        if (statement.Length > 0) yield return statement;
    }

    private static SortedSet<string> FilesIn(string folder) =>
        new(Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(f => f + "|" + File.GetLastWriteTimeUtc(f).Ticks), StringComparer.Ordinal);

    private static readonly string[] EnvironmentNames = ["RUNAPI_API_KEY", "RUNAPI_KEY", "RUNAPI_BASE_URL", "RUNAPI_JOB_PATH"];

    private static Dictionary<string, string?> SaveEnvironment() => EnvironmentNames.ToDictionary(n => n, Environment.GetEnvironmentVariable);

    private static void RestoreEnvironment(Dictionary<string, string?> saved)
    {
        foreach (var (name, value) in saved) Environment.SetEnvironmentVariable(name, value);
    }
}
