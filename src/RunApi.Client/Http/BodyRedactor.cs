using System.Text.RegularExpressions;
using RunApi.Client.Configuration;

namespace RunApi.Client.Http
{
    /// <summary>Makes a body fit to show: the key masked and long base64 payloads cut down to their length.</summary>
    internal static class BodyRedactor
    {
        // 200+ characters of base64 alphabet in a row: an uploaded file or an inline image, useless on screen.
        private static readonly Regex LongBase64 = new Regex("[A-Za-z0-9+/=]{200,}", RegexOptions.Compiled);

        public static string Redact(string? body, ApiKey? key)
        {
            if (string.IsNullOrEmpty(body)) return string.Empty;
            var masked = key is null ? body! : key.Redact(body);
            return LongBase64.Replace(masked, m => $"<{m.Length} base64 characters>");
        }
    }
}
