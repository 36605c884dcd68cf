using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace RunApi.Client.Configuration
{
    /// <summary>
    /// A pattern for an API key however a service may have encoded it in text it sends back: each character as itself,
    /// JSON-escaped (<c>\u0073</c>, <c>\/</c>), URL-encoded (<c>%2B</c>, also behind a JSON-escaped percent) or as an
    /// HTML character reference, in any mix. Matching encoded forms is what keeps an echoed key out of messages,
    /// file names and URLs: redacting only the literal key missed all of these.
    /// </summary>
    internal static class KeyForms
    {
        public static Regex PatternFor(string key)
        {
            var pattern = new StringBuilder();
            foreach (var c in key)
            {
                pattern.Append("(?:").Append(Regex.Escape(c.ToString()));
                if (c < 0x80)
                {
                    var hex = Hex((byte)c);
                    pattern.Append(@"|\\[uU]00").Append(hex)          // JSON \u0073
                           .Append("|%").Append(hex)                  // URL %73
                           .Append(@"|\\[uU]0025").Append(hex)        // JSON-escaped percent, then hex
                           .Append("|&#0*").Append(((int)c).ToString(CultureInfo.InvariantCulture)).Append(';')
                           .Append("|&#[xX]0*").Append(hex).Append(';');
                    if (c == '/' || c == '"' || c == '\\') pattern.Append(@"|\\").Append(Regex.Escape(c.ToString()));
                }
                pattern.Append(')');
            }
            return new Regex(pattern.ToString(), RegexOptions.CultureInvariant);
        }

        /// <summary>Two hex digits, each letter in either case.</summary>
        private static string Hex(byte value)
        {
            var builder = new StringBuilder();
            foreach (var digit in value.ToString("X2", CultureInfo.InvariantCulture))
            {
                builder.Append(char.IsLetter(digit) ? "[" + digit + char.ToLowerInvariant(digit) + "]" : digit.ToString());
            }
            return builder.ToString();
        }
    }
}
