// RunApi.HelpGen: docs/*.md (platyPS markdown) -> src/RunApi.PowerShell/en-US (MAML and about topics).
//
//   dotnet run --project tools/RunApi.HelpGen                 write the help files
//   dotnet run --project tools/RunApi.HelpGen -- --check      exit 1 if the committed files differ from docs/
//   options: --docs DIR, --out DIR (defaults: docs/ and src/RunApi.PowerShell/en-US/ of this repository)
//
// Where pwsh and platyPS exist, build.ps1 -Task Docs runs New-ExternalHelp instead; both read the same pages.
using RunApi.Help;
using RunApi.HelpGen;

var root = FindRepoRoot();
var docs = Path.Combine(root, "docs");
var output = Path.Combine(root, "src", "RunApi.PowerShell", "en-US");
var check = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--docs": docs = Path.GetFullPath(args[++i]); break;
        case "--out": output = Path.GetFullPath(args[++i]); break;
        case "--check": check = true; break;
        default:
            Console.Error.WriteLine($"Unknown option '{args[i]}'. Options: --docs DIR, --out DIR, --check.");
            return 2;
    }
}

var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
var problems = new List<string>();
var pagesByHelpFile = new SortedDictionary<string, List<CommandPage>>(StringComparer.Ordinal);
foreach (var path in Directory.GetFiles(docs, "*.md").OrderBy(p => p, StringComparer.Ordinal))
{
    var name = Path.GetFileNameWithoutExtension(path);
    var document = MarkdownDocument.Load(path);
    if (name.StartsWith("about_", StringComparison.OrdinalIgnoreCase))
    {
        files[name + ".help.txt"] = AboutTextWriter.Write(document);
    }
    else if (CommandPage.IsCommandPage(document))
    {
        try
        {
            var page = CommandPage.From(document);
            problems.AddRange(PageChecks.Problems(page, name));
            var helpFile = document.Metadata["external help file"];
            if (!pagesByHelpFile.TryGetValue(helpFile, out var pages)) pagesByHelpFile[helpFile] = pages = new List<CommandPage>();
            pages.Add(page);
        }
        catch (FormatException ex)
        {
            problems.Add($"{name}.md: {ex.Message}");
        }
    }
    // Anything else (the module page, RunApi.md) is documentation only.
}

if (problems.Count > 0)
{
    foreach (var problem in problems) Console.Error.WriteLine(problem);
    Console.Error.WriteLine($"{problems.Count} problem(s) in {docs}: no help written.");
    return 1;
}
foreach (var (helpFile, pages) in pagesByHelpFile) files[helpFile] = MamlWriter.Write(pages);

if (check)
{
    var stale = files.Where(f => !File.Exists(Path.Combine(output, f.Key)) ||
                                 File.ReadAllText(Path.Combine(output, f.Key)).Replace("\r\n", "\n") != f.Value).Select(f => f.Key).ToList();
    foreach (var file in stale) Console.Error.WriteLine($"{file} is out of date with docs/: run dotnet run --project tools/RunApi.HelpGen");
    if (stale.Count == 0) Console.WriteLine($"The help in {output} matches {docs}.");
    return stale.Count == 0 ? 0 : 1;
}

Directory.CreateDirectory(output);
foreach (var (file, content) in files)
{
    File.WriteAllText(Path.Combine(output, file), content);
    Console.WriteLine($"Wrote {Path.Combine(output, file)}");
}
return 0;

static string FindRepoRoot()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RunApi.PowerShell.sln"))) return directory.FullName;
        }
    }
    throw new InvalidOperationException("Run this inside the RunApi repository (RunApi.PowerShell.sln not found).");
}
