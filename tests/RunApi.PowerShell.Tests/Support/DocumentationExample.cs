using RunApi.Help;

namespace RunApi.PowerShell.Tests.Support;

/// <summary>
/// A PowerShell code block of README.md or docs/*.md, read from the file as it is now, named by its file and the
/// heading above it (with its place under that heading when the heading has several).
/// </summary>
public sealed record DocumentationExample(string File, string Heading, int Ordinal, int CountUnderHeading, string Code)
{
    private static readonly string[] PowerShellFences = ["powershell", "pwsh", "ps1", "posh"];

    /// <summary>For example "docs/New-ImagenImage.md: Example 3: Generate a batch ..." or "README.md: For users".</summary>
    public string Name => CountUnderHeading == 1 ? $"{File}: {Heading}" : $"{File}: {Heading} ({Ordinal})";

    /// <summary>Every PowerShell block of README.md and docs/*.md, in file order.</summary>
    public static IReadOnlyList<DocumentationExample> All { get; } = Read(ModuleSession.RepoRoot);

    public static IReadOnlyList<DocumentationExample> Read(string repoRoot)
    {
        var docs = Directory.GetFiles(Path.Combine(repoRoot, "docs"), "*.md")
            .Select(path => "docs/" + Path.GetFileName(path))
            .Order(StringComparer.Ordinal);
        return new[] { "README.md" }.Concat(docs)
            .SelectMany(file => InFile(file, MarkdownDocument.Load(Path.Combine(repoRoot, file))))
            .ToList();
    }

    private static IEnumerable<DocumentationExample> InFile(string file, MarkdownDocument document)
    {
        var blocks = new List<(string Heading, string Code)>();
        var heading = "";
        foreach (var node in document.Nodes)
        {
            if (node.IsHeading) heading = node.Heading;
            else if (node.Block is { Kind: BlockKind.Code } block && PowerShellFences.Contains(block.Language, StringComparer.OrdinalIgnoreCase))
                blocks.Add((heading, block.Text));
        }
        return blocks.GroupBy(b => b.Heading).SelectMany(group => group.Select((b, i) =>
            new DocumentationExample(file, b.Heading, i + 1, group.Count(), b.Code)));
    }

    public override string ToString() => Name;
}
