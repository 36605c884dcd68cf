// Reads the platyPS (v1, schema 2.0.0) markdown in docs/: the help test holds docs/ and the MAML to each other with it,
// and tools/RunApi.HelpGen (which links this file) turns it into the MAML and the about text where platyPS is not at hand.
// Only the subset of markdown the pages use: headings, paragraphs, list items, fenced code blocks, links.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace RunApi.Help
{
    public enum BlockKind
    {
        Paragraph,
        ListItem,
        Code,
    }

    /// <summary>A paragraph (soft line breaks joined), a list item (with its marker), or a fenced code block.</summary>
    public sealed record TextBlock(BlockKind Kind, string Text, string Language = "");

    /// <summary>A heading or a block, in document order.</summary>
    public sealed record MarkdownNode(int HeadingLevel, string Heading, TextBlock? Block)
    {
        public bool IsHeading => HeadingLevel > 0;
    }

    /// <summary>A markdown file: its YAML front matter and its nodes.</summary>
    public sealed class MarkdownDocument
    {
        private static readonly Regex ListMarker = new(@"^(?:[-*]|\d+\.)\s+");

        private MarkdownDocument(IReadOnlyDictionary<string, string> metadata, IReadOnlyList<MarkdownNode> nodes)
        {
            Metadata = metadata;
            Nodes = nodes;
        }

        public IReadOnlyDictionary<string, string> Metadata { get; }
        public IReadOnlyList<MarkdownNode> Nodes { get; }

        public static MarkdownDocument Load(string path) => Parse(File.ReadAllText(path));

        public static MarkdownDocument Parse(string text)
        {
            var lines = text.Replace("\r\n", "\n").Split('\n');
            var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var i = 0;
            if (lines.Length > 0 && lines[0].Trim() == "---")
            {
                for (i = 1; i < lines.Length && lines[i].Trim() != "---"; i++)
                {
                    var colon = lines[i].IndexOf(':');
                    if (colon > 0) metadata[lines[i].Substring(0, colon).Trim()] = lines[i].Substring(colon + 1).Trim();
                }
                i++;
            }

            var nodes = new List<MarkdownNode>();
            var paragraph = new List<string>();
            string? listItem = null;

            void Flush()
            {
                if (paragraph.Count > 0) nodes.Add(new MarkdownNode(0, "", new TextBlock(BlockKind.Paragraph, string.Join(" ", paragraph))));
                if (listItem is not null) nodes.Add(new MarkdownNode(0, "", new TextBlock(BlockKind.ListItem, listItem)));
                paragraph.Clear();
                listItem = null;
            }

            for (; i < lines.Length; i++)
            {
                var line = lines[i];
                var trimmed = line.Trim();
                if (trimmed.StartsWith("```", StringComparison.Ordinal))
                {
                    Flush();
                    var language = trimmed.Substring(3).Trim();
                    var code = new List<string>();
                    for (i++; i < lines.Length && !lines[i].Trim().StartsWith("```", StringComparison.Ordinal); i++) code.Add(lines[i]);
                    nodes.Add(new MarkdownNode(0, "", new TextBlock(BlockKind.Code, string.Join("\n", code), language)));
                    continue;
                }
                if (trimmed.Length == 0)
                {
                    Flush();
                    continue;
                }
                if (line.StartsWith("#", StringComparison.Ordinal))
                {
                    Flush();
                    var level = line.TakeWhile(c => c == '#').Count();
                    nodes.Add(new MarkdownNode(level, line.Substring(level).Trim(), null));
                    continue;
                }
                if (ListMarker.IsMatch(trimmed) && !char.IsWhiteSpace(line[0]))
                {
                    Flush();
                    listItem = trimmed;
                    continue;
                }
                if (listItem is not null && char.IsWhiteSpace(line[0]))
                {
                    listItem += " " + trimmed;
                    continue;
                }
                if (listItem is not null) Flush();
                paragraph.Add(trimmed);
            }
            Flush();
            return new MarkdownDocument(metadata, nodes);
        }

        /// <summary>The nodes under a heading, up to the next heading of the same or a higher level.</summary>
        public IReadOnlyList<MarkdownNode> Section(int level, string heading)
        {
            var start = Nodes.ToList().FindIndex(n => n.HeadingLevel == level && string.Equals(n.Heading, heading, StringComparison.OrdinalIgnoreCase));
            if (start < 0) return Array.Empty<MarkdownNode>();
            return Nodes.Skip(start + 1).TakeWhile(n => !n.IsHeading || n.HeadingLevel > level).ToList();
        }
    }

    public sealed record SyntaxEntry(string ParameterSet, bool IsDefault, string Text, IReadOnlyList<string> ParameterNames);

    public sealed record ExampleEntry(string Title, string Code, IReadOnlyList<TextBlock> Remarks);

    /// <summary>One yaml block of a parameter: platyPS writes one per group of parameter sets that share these facts.</summary>
    public sealed record ParameterFacts(
        string Type,
        IReadOnlyList<string> ParameterSets,
        IReadOnlyList<string> Aliases,
        bool Required,
        string Position,
        string DefaultValue,
        string PipelineInput,
        bool AcceptsWildcards,
        IReadOnlyList<string> AcceptedValues)
    {
        public bool InAllSets => ParameterSets.Count == 1 && ParameterSets[0] == "(All)";

        public bool AppliesTo(string parameterSet) => InAllSets || ParameterSets.Contains(parameterSet, StringComparer.OrdinalIgnoreCase);
    }

    public sealed record ParameterEntry(string Name, IReadOnlyList<TextBlock> Description, IReadOnlyList<ParameterFacts> Facts);

    public sealed record TypeEntry(string TypeName, IReadOnlyList<TextBlock> Description);

    public sealed record LinkEntry(string Text, string Uri);

    /// <summary>A cmdlet page of docs/ in platyPS v1 form.</summary>
    public sealed class CommandPage
    {
        private static readonly Regex SyntaxParameter = new(@"(?<=[\s\[])-([A-Za-z][A-Za-z0-9]*)");
        private static readonly Regex Link = new(@"^\[(?<text>[^\]]+)\]\((?<uri>[^)]*)\)$");

        public string Name { get; private set; } = "";
        public IReadOnlyDictionary<string, string> Metadata { get; private set; } = new Dictionary<string, string>();
        public IReadOnlyList<TextBlock> Synopsis { get; private set; } = Array.Empty<TextBlock>();
        public IReadOnlyList<SyntaxEntry> Syntax { get; private set; } = Array.Empty<SyntaxEntry>();
        public IReadOnlyList<TextBlock> Description { get; private set; } = Array.Empty<TextBlock>();
        public IReadOnlyList<ExampleEntry> Examples { get; private set; } = Array.Empty<ExampleEntry>();
        public IReadOnlyList<ParameterEntry> Parameters { get; private set; } = Array.Empty<ParameterEntry>();
        public IReadOnlyList<TypeEntry> Inputs { get; private set; } = Array.Empty<TypeEntry>();
        public IReadOnlyList<TypeEntry> Outputs { get; private set; } = Array.Empty<TypeEntry>();
        public IReadOnlyList<TextBlock> Notes { get; private set; } = Array.Empty<TextBlock>();
        public IReadOnlyList<LinkEntry> Links { get; private set; } = Array.Empty<LinkEntry>();

        /// <summary>True for a cmdlet page (it names its MAML file), false for the module page and about topics.</summary>
        public static bool IsCommandPage(MarkdownDocument document) => document.Metadata.ContainsKey("external help file");

        public static CommandPage Load(string path) => From(MarkdownDocument.Load(path));

        public static CommandPage From(MarkdownDocument document)
        {
            var title = document.Nodes.FirstOrDefault(n => n.HeadingLevel == 1)
                ?? throw new FormatException("A cmdlet page starts with '# <cmdlet name>'.");
            return new CommandPage
            {
                Name = title.Heading,
                Metadata = document.Metadata,
                Synopsis = Blocks(document.Section(2, "SYNOPSIS")),
                Syntax = ReadSyntax(document.Section(2, "SYNTAX")),
                Description = Blocks(document.Section(2, "DESCRIPTION")),
                Examples = Subsections(document.Section(2, "EXAMPLES")).Select(ReadExample).ToList(),
                Parameters = Subsections(document.Section(2, "PARAMETERS"))
                    .Where(s => s.Heading.StartsWith("-", StringComparison.Ordinal))
                    .Select(ReadParameter).ToList(),
                Inputs = Subsections(document.Section(2, "INPUTS")).Select(s => new TypeEntry(s.Heading, Blocks(s.Body))).ToList(),
                Outputs = Subsections(document.Section(2, "OUTPUTS")).Select(s => new TypeEntry(s.Heading, Blocks(s.Body))).ToList(),
                Notes = Blocks(document.Section(2, "NOTES")),
                Links = Blocks(document.Section(2, "RELATED LINKS")).Select(ReadLink).ToList(),
            };
        }

        public ParameterEntry? Parameter(string name) =>
            Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

        private static IReadOnlyList<TextBlock> Blocks(IEnumerable<MarkdownNode> nodes) =>
            nodes.TakeWhile(n => !n.IsHeading).Select(n => n.Block!).ToList();

        private static IEnumerable<(string Heading, IReadOnlyList<MarkdownNode> Body)> Subsections(IReadOnlyList<MarkdownNode> section)
        {
            for (var i = 0; i < section.Count; i++)
            {
                if (!section[i].IsHeading) continue;
                var body = section.Skip(i + 1).TakeWhile(n => !n.IsHeading).ToList();
                yield return (section[i].Heading, body);
            }
        }

        private static IReadOnlyList<SyntaxEntry> ReadSyntax(IReadOnlyList<MarkdownNode> section)
        {
            var entries = new List<SyntaxEntry>();
            var set = "(All)";
            foreach (var node in section)
            {
                if (node.IsHeading)
                {
                    set = node.Heading;
                    continue;
                }
                if (node.Block!.Kind != BlockKind.Code) continue;
                var isDefault = set.EndsWith("(Default)", StringComparison.OrdinalIgnoreCase);
                var name = isDefault ? set.Substring(0, set.Length - "(Default)".Length).Trim() : set;
                if (name == "__AllParameterSets") name = "(All)";
                var parameters = SyntaxParameter.Matches(node.Block.Text).Cast<Match>().Select(m => m.Groups[1].Value).ToList();
                entries.Add(new SyntaxEntry(name, isDefault, node.Block.Text.Trim(), parameters));
            }
            return entries;
        }

        private static ExampleEntry ReadExample((string Heading, IReadOnlyList<MarkdownNode> Body) example)
        {
            var blocks = example.Body.Select(n => n.Block!).ToList();
            var code = blocks.Where(b => b.Kind == BlockKind.Code).Select(b => b.Text.TrimEnd()).ToList();
            if (code.Count == 0) throw new FormatException($"Example '{example.Heading}' has no code block.");
            return new ExampleEntry(example.Heading, string.Join("\n\n", code), blocks.Where(b => b.Kind != BlockKind.Code).ToList());
        }

        private static ParameterEntry ReadParameter((string Heading, IReadOnlyList<MarkdownNode> Body) parameter)
        {
            var blocks = parameter.Body.Select(n => n.Block!).ToList();
            var facts = blocks.Where(b => b.Kind == BlockKind.Code && b.Language == "yaml").Select(b => ReadFacts(parameter.Heading, b.Text)).ToList();
            if (facts.Count == 0) throw new FormatException($"Parameter {parameter.Heading} has no yaml block.");
            var description = blocks.Where(b => !(b.Kind == BlockKind.Code && b.Language == "yaml")).ToList();
            return new ParameterEntry(parameter.Heading.TrimStart('-'), description, facts);
        }

        private static ParameterFacts ReadFacts(string parameter, string yaml)
        {
            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in yaml.Split('\n'))
            {
                var colon = line.IndexOf(':');
                if (colon > 0) values[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
            }

            string Value(string key) => values.TryGetValue(key, out var value)
                ? value
                : throw new FormatException($"Parameter {parameter}: the yaml block has no '{key}'.");
            static IReadOnlyList<string> List(string text) =>
                text.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();

            return new ParameterFacts(
                Value("Type"),
                List(Value("Parameter Sets")),
                List(Value("Aliases")),
                bool.Parse(Value("Required")),
                Value("Position"),
                Value("Default value"),
                Value("Accept pipeline input"),
                bool.Parse(Value("Accept wildcard characters")),
                values.TryGetValue("Accepted values", out var accepted) ? List(accepted) : Array.Empty<string>());
        }

        private static LinkEntry ReadLink(TextBlock block)
        {
            var match = Link.Match(block.Text.Trim());
            return match.Success ? new LinkEntry(match.Groups["text"].Value, match.Groups["uri"].Value) : new LinkEntry(block.Text.Trim(), "");
        }
    }

    /// <summary>How help text is compared: whitespace runs count as one space, so wrapping and paragraph splits do not matter.</summary>
    public static class HelpText
    {
        public static string Normalize(string? text) => Regex.Replace(text ?? "", @"\s+", " ").Trim();

        public static string Flatten(IEnumerable<TextBlock> blocks) => Normalize(string.Join(" ", blocks.Select(b => b.Text)));

        public static string Flatten(IEnumerable<string> paragraphs) => Normalize(string.Join(" ", paragraphs));
    }
}
