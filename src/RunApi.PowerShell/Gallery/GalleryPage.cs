using System;
using System.Globalization;
using System.IO;

namespace RunApi.PowerShell.Gallery
{
    /// <summary>
    /// Writes a gallery page as its entries come: the head, then one card per entry, then the totals. Nothing is kept
    /// per entry but a few counters, so 5,000 images take no more memory than 5.
    /// </summary>
    /// <remarks>
    /// The totals are known only after the last entry, yet shown at the top: they are written last and the stylesheet
    /// places them above the grid (flex order). That needs no second pass over the file, no buffering and no script,
    /// so they show with scripts off too.
    /// </remarks>
    internal sealed class GalleryPage
    {
        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
        private readonly TextWriter _writer;
        private readonly string _pageFolder;
        private readonly bool _embed;
        private decimal _costUsd;
        private int _unpriced;
        private DateTimeOffset? _first, _last;

        public GalleryPage(TextWriter writer, string pageFolder, string title, bool embed)
        {
            _writer = writer;
            _pageFolder = pageFolder;
            _embed = embed;
            WriteHead(title);
        }

        public int Images { get; private set; }
        public int Failures { get; private set; }

        /// <summary>
        /// Allows the page's own inline style and script (by hash) and images from files beside it (or data: URIs
        /// with -Embed): no remote load of any kind, no other script, no form, no base URL.
        /// </summary>
        public string ContentSecurityPolicy =>
            "default-src 'none'; img-src 'self' file:" + (_embed ? " data:" : string.Empty) +
            "; style-src " + GalleryAssets.StyleHash + "; script-src " + GalleryAssets.ScriptHash +
            "; base-uri 'none'; form-action 'none'";

        private void WriteHead(string title)
        {
            Raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
            Raw("<meta http-equiv=\"Content-Security-Policy\" content=\"" + ContentSecurityPolicy + "\">\n");
            Raw("<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
            Raw("<meta name=\"generator\" content=\"");
            Text(MetadataKeys.SoftwareName);
            Raw("\">\n<title>");
            Text(title);
            Raw("</title>\n<style>" + GalleryAssets.Style + "</style>\n</head>\n<body>\n<header><h1>");
            Text(title);
            Raw("</h1>\n<div id=\"tools\" hidden><input id=\"filter\" type=\"search\" placeholder=\"Filter: prompt, model, seed, task id\" " +
                "aria-label=\"Filter\" autocomplete=\"off\" spellcheck=\"false\"> <select id=\"sort\" aria-label=\"Sort\">" +
                "<option value=\"\">Order made</option><option value=\"prompt\">Prompt</option><option value=\"model\">Model</option>" +
                "<option value=\"time\">Oldest first</option><option value=\"newest\">Newest first</option></select> <span id=\"shown\"></span></div>\n" +
                "</header>\n<main id=\"grid\">\n");
        }

        public void Add(GalleryEntry entry)
        {
            if (entry.IsFailure) Failures++;
            else
            {
                Images++;
                if (entry.CostUsd is { } cost) _costUsd += cost;
                else _unpriced++;
            }
            if (entry.Time is { } time)
            {
                if (_first is null || time < _first) _first = time;
                if (_last is null || time > _last) _last = time;
            }

            Raw(entry.IsFailure ? "<figure class=\"card failed\"" : "<figure class=\"card\"");
            Data("prompt", entry.Prompt);
            Data("negative", entry.NegativePrompt);
            Data("model", entry.Model);
            Data("seed", entry.Seed?.ToString(Invariant));
            Data("task", entry.TaskId);
            Data("time", entry.Time is { } made ? Iso(made) : null);
            Raw(">");
            if (entry.IsFailure) Raw("<div class=\"none\">failed</div>");
            else WriteImage(entry);
            Raw("<figcaption><p>");
            Text(entry.Prompt ?? "(no prompt recorded)");
            Raw("</p><dl>");
            Term("Model", entry.Model);
            Term("Seed", entry.Seed?.ToString(Invariant));
            Term("Task", entry.TaskId, "id");
            if (entry.Time is { } at)
            {
                Raw("<dt>Time</dt><dd><time datetime=\"" + Iso(at) + "\">" +
                    at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Invariant) + " UTC</time></dd>");
            }
            Term("Cost", entry.CostUsd is { } usd ? Usd(usd) : null);
            Term("Negative", entry.NegativePrompt);
            Term("Error", entry.Error, "error");
            Raw("</dl></figcaption></figure>\n");
        }

        private void WriteImage(GalleryEntry entry)
        {
            var width = entry.Width is > 0 ? entry.Width.Value : 1024;
            var height = entry.Height is > 0 ? entry.Height.Value : 1024;
            var link = _embed ? null : ImageLink.From(_pageFolder, entry.ImagePath!);
            if (link is not null)
            {
                Raw("<a href=\"");
                Text(link);
                Raw("\">");
            }
            Raw("<img src=\"");
            if (link is not null) Text(link);
            else DataUri(entry);
            Raw("\" alt=\"");
            Text(entry.Prompt ?? System.IO.Path.GetFileName(entry.ImagePath));
            Raw("\" loading=\"lazy\" decoding=\"async\" width=\"" + width.ToString(Invariant) + "\" height=\"" + height.ToString(Invariant) + "\">");
            if (link is not null) Raw("</a>");
        }

        /// <summary>The file as a data: URI, streamed through base64 in pieces (a multiple of 3 bytes, so they join).</summary>
        private void DataUri(GalleryEntry entry)
        {
            Raw("data:" + MediaType(entry.Format) + ";base64,");
            var buffer = new byte[3 * 16384];
            using var file = new FileStream(entry.ImagePath!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            while (true)
            {
                var filled = 0;
                int read;
                while (filled < buffer.Length && (read = file.Read(buffer, filled, buffer.Length - filled)) > 0) filled += read;
                if (filled == 0) break;
                Raw(Convert.ToBase64String(buffer, 0, filled));
                if (filled < buffer.Length) break;
            }
        }

        private static string MediaType(string? format)
        {
            switch (format)
            {
                case "JPEG": return "image/jpeg";
                case "WebP": return "image/webp";
                case "GIF": return "image/gif";
                default: return "image/png";
            }
        }

        /// <summary>The totals, then the end of the page.</summary>
        public void Finish()
        {
            Raw("</main>\n<section class=\"totals\" id=\"totals\" data-images=\"" + Images.ToString(Invariant) + "\" data-failures=\"" +
                Failures.ToString(Invariant) + "\"><b>" + Images.ToString("N0", Invariant) + "</b> " + (Images == 1 ? "image" : "images"));
            if (Failures > 0) Raw(" · <b class=\"bad\">" + Failures.ToString("N0", Invariant) + "</b> failed");
            if (Images > _unpriced) Raw(" · <b>" + Usd(_costUsd) + "</b> estimated cost");
            if (_unpriced > 0 && Images > 0) Raw(" (" + _unpriced.ToString("N0", Invariant) + " without a known price)");
            if (_first is { } first && _last is { } last)
            {
                Raw(" · made " + first.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Invariant) +
                    (last - first >= TimeSpan.FromMinutes(1) ? " to " + last.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Invariant) : string.Empty) + " UTC");
            }
            Raw("</section>\n<script>" + GalleryAssets.Script + "</script>\n</body>\n</html>\n");
            _writer.Flush();
        }

        private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", Invariant);

        private static string Usd(decimal amount) => "$" + amount.ToString(amount < 0.01m && amount != 0 ? "0.####" : "0.00", Invariant);

        private void Term(string name, string? value, string? cssClass = null)
        {
            if (string.IsNullOrEmpty(value)) return;
            Raw(cssClass is null ? "<dt>" + name + "</dt><dd>" : "<dt>" + name + "</dt><dd class=\"" + cssClass + "\">");
            Text(value);
            Raw("</dd>");
        }

        private void Data(string name, string? value)
        {
            if (string.IsNullOrEmpty(value)) return;
            Raw(" data-" + name + "=\"");
            Text(value);
            Raw("\"");
        }

        private void Raw(string html) => _writer.Write(html);

        private void Text(string? text) => HtmlText.Write(_writer, text);
    }
}
