using System.Text;
using RunApi.Help;

namespace RunApi.HelpGen;

/// <summary>
/// Writes an about topic as the plain text Get-Help prints, laid out as platyPS lays it out: the first heading becomes
/// TOPIC, the second the topic name in lower case, level-1 headings upper case, text indented by 4 and wrapped at 80.
/// </summary>
internal static class AboutTextWriter
{
    private const int Width = 80;
    private const string Indent = "    ";

    public static string Write(MarkdownDocument document)
    {
        var text = new StringBuilder();
        var nodes = document.Nodes;
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            if (node.IsHeading)
            {
                if (i == 0) text.Append("TOPIC\n");
                else if (i == 1 && node.HeadingLevel == 2) text.Append(Indent).Append(node.Heading.ToLowerInvariant()).Append("\n\n");
                else if (node.HeadingLevel == 1) text.Append(node.Heading.ToUpperInvariant()).Append('\n');
                else if (node.HeadingLevel == 2) text.Append(node.Heading).Append('\n');
                else text.Append(Indent).Append(node.Heading.ToUpperInvariant()).Append('\n');
                continue;
            }

            var block = node.Block!;
            switch (block.Kind)
            {
                case BlockKind.Code:
                    foreach (var line in block.Text.Split('\n')) text.Append((Indent + Indent + line).TrimEnd()).Append('\n');
                    text.Append('\n');
                    break;
                case BlockKind.ListItem:
                    Wrap(text, block.Text, Indent, Indent + new string(' ', MarkerLength(block.Text)));
                    // A list reads as one block: the blank line comes after its last item.
                    if (i + 1 >= nodes.Count || nodes[i + 1].Block?.Kind != BlockKind.ListItem) text.Append('\n');
                    break;
                default:
                    Wrap(text, block.Text, Indent, Indent);
                    text.Append('\n');
                    break;
            }
        }
        return text.ToString().TrimEnd('\n') + "\n";
    }

    private static int MarkerLength(string item) => item.IndexOf(' ') + 1;

    private static void Wrap(StringBuilder text, string paragraph, string firstIndent, string nextIndent)
    {
        var line = new StringBuilder(firstIndent);
        var empty = true;
        foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!empty && line.Length + 1 + word.Length > Width)
            {
                text.Append(line).Append('\n');
                line.Clear().Append(nextIndent);
                empty = true;
            }
            if (!empty) line.Append(' ');
            line.Append(word);
            empty = false;
        }
        text.Append(line).Append('\n');
    }
}
