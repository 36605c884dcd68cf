using System.Text;

namespace RunApi.Bench.Reporting;

/// <summary>Renders rows as one GitHub-flavoured Markdown table, columns padded so it also reads well as plain text.</summary>
public static class MarkdownTable
{
    private static readonly string[] Headers = ["Scenario", "Metric", "Ours", "Baseline", "Ours ÷ baseline", "Target", "Met"];

    /// <summary>What the two columns hold; printed above the table.</summary>
    public const string Legend =
        "Ours = the client core (src/RunApi.Client) driven as New-ImagenImage -OutputDirectory drives it, in its own process. " +
        "Baseline = a raw HttpClient doing what the official SDKs' run() does, one prompt after the other, in its own process. " +
        "For the import rows, the baseline is named in the metric.";

    public static string Render(IReadOnlyList<Row> rows)
    {
        var cells = rows.Select(r => new[] { r.Scenario, r.Metric, r.Ours, r.Baseline, r.Ratio, r.Target, r.Met }).ToList();
        var widths = Headers.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();

        var text = new StringBuilder();
        Line(text, Headers, widths);
        text.Append('|');
        foreach (var width in widths) text.Append(new string('-', width + 2)).Append('|');
        text.AppendLine();
        foreach (var row in cells) Line(text, row, widths);
        return text.ToString();
    }

    private static void Line(StringBuilder text, IReadOnlyList<string> cells, int[] widths)
    {
        text.Append('|');
        for (var i = 0; i < cells.Count; i++) text.Append(' ').Append(cells[i].PadRight(widths[i])).Append(" |");
        text.AppendLine();
    }
}
