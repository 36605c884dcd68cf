using System.Text;

namespace RunApi.Client.Tests.Hardening;

/// <summary>The encodings a hostile server may echo a key in, and the check that none of them reached some text.</summary>
internal static class KeyForms
{
    /// <summary>A key with the characters JSON and URLs escape.</summary>
    public const string AwkwardKey = "sk-live+Ab/9xQ=zz7Kq";

    public static string JsonEscaped(string key) => string.Concat(key.Select(c => $"\\u{(int)c:x4}"));

    /// <summary>What System.Text.Json's default encoder writes: + as \u002B, / kept (\/ is also legal JSON).</summary>
    public static string JsonMixed(string key) => key.Replace("+", "\\u002B").Replace("/", "\\/");

    public static string UrlEncoded(string key) => Uri.EscapeDataString(key);

    public static IEnumerable<string> All(string key) => new[] { key, JsonEscaped(key), JsonMixed(key), UrlEncoded(key), UrlEncoded(key).ToLowerInvariant() };

    public static void AssertAbsent(string key, string? text, string where)
    {
        if (text is null) return;
        foreach (var form in All(key))
        {
            Assert.False(text.Contains(form, StringComparison.Ordinal), $"{where} holds the key (as '{form}'): {text}");
        }
        // The decoded forms too: what a JSON or URL decoder would make of the text.
        Assert.False(Uri.UnescapeDataString(text).Contains(key, StringComparison.Ordinal), $"{where} holds the key URL-encoded: {text}");
    }

    public static void AssertAbsent(string key, Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            AssertAbsent(key, e.Message, "an exception message");
            AssertAbsent(key, e.ToString(), "an exception's text");
            if (e is Errors.RunApiException api)
            {
                AssertAbsent(key, api.ServiceMessage, "ServiceMessage");
                AssertAbsent(key, api.ResponseBody, "ResponseBody");
                AssertAbsent(key, api.RequestId, "RequestId");
                AssertAbsent(key, api.TaskId, "TaskId");
                AssertAbsent(key, api.Task?.Error, "the task's error");
                foreach (var field in api.FieldErrors) AssertAbsent(key, field.Key + " " + string.Join(" ", field.Value), "FieldErrors");
            }
        }
    }
}
