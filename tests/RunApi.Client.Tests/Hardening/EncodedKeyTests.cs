using System.Diagnostics;
using RunApi.Client.Configuration;

namespace RunApi.Client.Tests.Hardening;

/// <summary>
/// ApiKey.Redact on text as a service may echo it: the key base64- or hex-encoded, or broken across lines, is masked;
/// text without the key comes back unchanged.
/// </summary>
public sealed class EncodedKeyTests
{
    private const string Key = KeyForms.AwkwardKey;
    private static readonly ApiKey Secret = new(Key);

    public static IEnumerable<object[]> Echoes() => new[]
    {
        new object[] { "base64, the key first", KeyForms.Base64(Key + " was refused") },
        new object[] { "base64 after one byte", KeyForms.Base64("x" + Key) },
        new object[] { "base64 after two bytes", KeyForms.Base64("xx" + Key + "yy") },
        new object[] { "base64 of a JSON document", KeyForms.Base64($$"""{"authorization":"Bearer {{Key}}"}""") },
        new object[] { "base64 wrapped at 16 characters", string.Join("\r\n", KeyForms.Base64("xx" + Key).Chunk(16).Select(c => new string(c))) },
        new object[] { "base64url, unpadded", KeyForms.Base64Url("xx" + Key) },
        new object[] { "hex", KeyForms.Hex(Key) },
        new object[] { "HEX", KeyForms.Hex(Key).ToUpperInvariant() },
        new object[] { "hex dump", string.Join(" ", KeyForms.Hex(Key).Chunk(2).Select(c => new string(c))) },
        new object[] { "split by a line break", KeyForms.Split(Key, "\n") },
        new object[] { "split by a line break and an indent", KeyForms.Split(Key, "\r\n        ") },
        new object[] { "split by JSON's \\n", KeyForms.Split(Key, "\\n") },
        new object[] { "split by JSON's \\r\\n\\t", KeyForms.Split(Key, "\\r\\n\\t") },
        new object[] { "split by JSON's \\u000a", KeyForms.Split(Key, "\\u000a") },
        new object[] { "\\u-escaped and split by \\n", KeyForms.Split(Key, "\\n", KeyForms.JsonEscaped) },
        new object[] { "URL-encoded and split by a line break", KeyForms.Split(Key, "\n", KeyForms.UrlEncoded) },
    };

    [Theory]
    [MemberData(nameof(Echoes))]
    public void An_encoded_or_broken_key_is_masked(string how, string echoed)
    {
        _ = how;
        var text = "rejected: " + echoed + " (end)";

        var redacted = Secret.Redact(text);

        KeyForms.AssertAbsent(Key, redacted, "the redacted text");
        Assert.StartsWith("rejected: ", redacted);
        Assert.EndsWith(" (end)", redacted);
        Assert.Contains(ApiKey.Mask, redacted);
        Assert.True(Secret.IsIn(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("xx")]
    public void Base64_with_plus_and_slash_is_masked_as_base64url_and_JSON_escaped_too(string before)
    {
        // A key whose base64 has + and / at every alignment, so that its base64url and its JSON-escaped base64 differ.
        const string key = "sk-test~~~???>>>~~~???";
        var base64 = KeyForms.Base64(before + key + "!");
        Assert.True(base64.Contains('+') && base64.Contains('/'), base64);
        var secret = new ApiKey(key);

        foreach (var echoed in new[] { base64, KeyForms.Base64Url(before + key + "!"), base64.Replace("/", "\\/").Replace("+", "\\u002B") })
        {
            var redacted = secret.Redact("token " + echoed);

            KeyForms.AssertAbsent(key, redacted.Replace("\\/", "/").Replace("\\u002B", "+"), "the redacted text, unescaped");
            Assert.StartsWith("token ", redacted);
        }
    }

    [Theory]
    [InlineData("a task id", "task_01J9Z3M5Q8W2E7R4T6Y1U0I9O8")]
    [InlineData("an image URL", "https://files.runapi.ai/generated/task_01J9Z3M5Q8/0.png?X-Amz-Signature=9f8e7d6c5b4a39281706f5e4d3c2b1a0")]
    [InlineData("a message with line breaks", "Validation failed:\n  prompt is too long\r\n  size must be one of 1:1, 16:9\\n(see docs)")]
    [InlineData("a hex digest", "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("the key's first part, spaced", "sk-live + Ab / 9xQ is not the key")]
    [InlineData("the key but its last character", "sk-live+Ab/9xQ=zz7K")]
    [InlineData("the key spaced out, but its last character", "s k - l i v e + A b / 9 x Q = z z 7 K")]
    public void Text_without_the_key_is_unchanged(string what, string text)
    {
        _ = what;
        Assert.Equal(text, Secret.Redact(text));
        Assert.False(Secret.IsIn(text));
    }

    [Fact]
    public void Base64_without_the_key_is_unchanged()
    {
        var bytes = new byte[48 * 1024];
        new Random(27).NextBytes(bytes);
        var image = Convert.ToBase64String(bytes);
        var almost = KeyForms.Base64("xx" + Key[..^1]);

        Assert.Equal(image, Secret.Redact(image));
        Assert.Equal(almost, Secret.Redact(almost));
    }

    [Fact]
    public void A_body_of_near_misses_is_redacted_in_linear_time()
    {
        // Each line a form of the key but for its last character, with breaks that the pattern loops over, then a long
        // run of nothing but breaks. Linear matching takes well under a second on this megabyte; a pattern that lets a
        // match start with a break, or nests its loops, is quadratic here (some 10^10 steps: many minutes).
        var nearMisses = new[] { Key[..^1], KeyForms.Split(Key[..^1], "\r\n  "), KeyForms.Base64(Key)[..25], KeyForms.Hex(Key)[..38] };
        var line = string.Join(" ", nearMisses) + "\n";
        var body = string.Concat(Enumerable.Repeat(line, 768 * 1024 / line.Length)) + new string(' ', 256 * 1024);

        var clock = Stopwatch.StartNew();
        var redacted = Secret.Redact(body);

        Assert.Equal(body, redacted);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{clock.Elapsed.TotalSeconds:F1} s for {body.Length} characters");
    }
}
