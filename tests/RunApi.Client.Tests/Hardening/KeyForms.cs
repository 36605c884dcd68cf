using System.Text;
using System.Text.RegularExpressions;

namespace RunApi.Client.Tests.Hardening;

/// <summary>
/// The encodings a hostile server may echo a key in, and the check that none of them reached some text. Plain text and
/// xunit only, so that the PowerShell tests compile it too (linked); the check of a RunApiException is in KeyForms.Errors.cs.
/// </summary>
internal static partial class KeyForms
{
    /// <summary>A key with the characters JSON and URLs escape.</summary>
    public const string AwkwardKey = "sk-live+Ab/9xQ=zz7Kq";

    public static string JsonEscaped(string key) => string.Concat(key.Select(c => $"\\u{(int)c:x4}"));

    /// <summary>What System.Text.Json's default encoder writes: + as \u002B, / kept (\/ is also legal JSON).</summary>
    public static string JsonMixed(string key) => key.Replace("+", "\\u002B").Replace("/", "\\/");

    public static string UrlEncoded(string key) => Uri.EscapeDataString(key);

    public static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    public static string Base64Url(string text) => Base64(text).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hex(string key) => Convert.ToHexString(Encoding.UTF8.GetBytes(key)).ToLowerInvariant();

    /// <summary>
    /// The key cut at 1/3 and 2/3 of its length, each piece encoded by <paramref name="encode"/> (as itself if none), with
    /// <paramref name="breaks"/> between the pieces.
    /// </summary>
    public static string Split(string key, string breaks, Func<string, string>? encode = null)
    {
        encode ??= piece => piece;
        int first = key.Length / 3, second = 2 * key.Length / 3;
        return encode(key[..first]) + breaks + encode(key[first..second]) + breaks + encode(key[second..]);
    }

    /// <summary>
    /// The base64 characters that come from the key alone when it sits at byte offset 0, 1 or 2 of a longer text. Found
    /// by encoding it between zero bytes and between 0xFF bytes: the characters that differ hold a neighbour's bits, so
    /// the longest run of characters both encodings share is what any base64 text holding the key must contain.
    /// </summary>
    public static IEnumerable<string> Base64Cores(string key)
    {
        var bytes = Encoding.UTF8.GetBytes(key);
        for (var offset = 0; offset < 3; offset++)
        {
            var zeros = Convert.ToBase64String(new byte[offset].Concat(bytes).Concat(new byte[3]).ToArray());
            var ones = Convert.ToBase64String(Enumerable.Repeat((byte)0xFF, offset).Concat(bytes).Concat(new byte[] { 0xFF, 0xFF, 0xFF }).ToArray());
            string longest = string.Empty;
            for (int start = 0, end; start < zeros.Length; start = end + 1)
            {
                for (end = start; end < zeros.Length && zeros[end] == ones[end]; end++) { }
                if (end - start > longest.Length) longest = zeros[start..end];
            }
            yield return longest;
        }
    }

    public static IEnumerable<string> All(string key) =>
        new[] { key, JsonEscaped(key), JsonMixed(key), UrlEncoded(key), UrlEncoded(key).ToLowerInvariant(), Hex(key), Hex(key).ToUpperInvariant() }
            .Concat(Base64Cores(key))
            .Concat(Base64Cores(key).Select(core => core.Replace('+', '-').Replace('/', '_')));

    // Whitespace and JSON's escapes of it: taken out, they leave a key that a line break or an indent had split.
    private static readonly Regex Breaks = new(@"\s|\\[nrt]|\\u000[9aAdD]");

    public static void AssertAbsent(string key, string? text, string where)
    {
        if (text is null) return;
        foreach (var (seen, how) in new[] { (text, ""), (Breaks.Replace(text, ""), ", split by whitespace") })
        {
            foreach (var form in All(key))
            {
                Assert.False(seen.Contains(form, StringComparison.Ordinal), $"{where} holds the key (as '{form}'{how}): {text}");
            }
            // The decoded forms too: what a JSON or URL decoder would make of the text.
            Assert.False(Uri.UnescapeDataString(seen).Contains(key, StringComparison.Ordinal), $"{where} holds the key URL-encoded{how}: {text}");
        }
    }
}
