using System.Net;
using System.Text.RegularExpressions;

namespace RunApi.PowerShell.Tests.Support;

/// <summary>Reads a gallery page back: its cards and their attributes, as a browser would decode them.</summary>
public sealed class GalleryHtml
{
    private GalleryHtml(string path, string text)
    {
        Path = path;
        Text = text;
        Cards = Regex.Matches(text, "<figure class=\"card[^\"]*\"[^>]*>.*?</figure>", RegexOptions.Singleline)
            .Select(m => new Card(m.Value)).ToList();
    }

    public string Path { get; }
    public string Text { get; }
    public IReadOnlyList<Card> Cards { get; }

    public static GalleryHtml Load(string path) => new(path, File.ReadAllText(path));

    /// <summary>The file a relative link of the page points to: its segments unescaped, from the page's folder.</summary>
    public string Resolve(string href) =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(new[] { System.IO.Path.GetDirectoryName(Path)! }
            .Concat(href.Split('/').Select(Uri.UnescapeDataString)).ToArray()));

    public string? Meta(string httpEquiv) =>
        Regex.Match(Text, "<meta http-equiv=\"" + Regex.Escape(httpEquiv) + "\" content=\"([^\"]*)\">") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    public sealed class Card(string html)
    {
        public string Html { get; } = html;
        public bool Failed => Html.StartsWith("<figure class=\"card failed\"", StringComparison.Ordinal);

        /// <summary>An attribute of the card's figure, decoded.</summary>
        public string? Data(string name) => Attribute(Html[..Html.IndexOf('>')], "data-" + name);

        public string? ImageSrc => Regex.Match(Html, "<img [^>]*>") is { Success: true } img ? Attribute(img.Value, "src") : null;
        public string? Href => Regex.Match(Html, "<a [^>]*>") is { Success: true } a ? Attribute(a.Value, "href") : null;

        /// <summary>The prompt as the caption shows it, decoded.</summary>
        public string Caption => WebUtility.HtmlDecode(Regex.Match(Html, "<figcaption><p>(.*?)</p>", RegexOptions.Singleline).Groups[1].Value);

        private static string? Attribute(string tag, string name) =>
            Regex.Match(tag, " " + Regex.Escape(name) + "=\"([^\"]*)\"") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;
    }
}
