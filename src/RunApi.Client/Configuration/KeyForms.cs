using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace RunApi.Client.Configuration
{
    /// <summary>
    /// One pattern for an API key however a service may have echoed it: as itself, base64- or base64url-encoded, or
    /// hex-encoded; each character of those as itself, JSON-escaped, URL-encoded or an HTML character reference; and
    /// broken between any two characters by whitespace or JSON's escapes of it. Masking only the literal key missed each
    /// of these, and they reached messages, the journal and serialized errors.
    /// </summary>
    /// <remarks>
    /// Built once per key, and kept linear in the text: no repetition nests in another, and the one loop (a break) ends
    /// where the next character of the form must start. A try at a position so ends within the span of one form and its
    /// breaks, and a body costs its length times that at worst, never more. No pattern may start with a break or an
    /// optional character: every position of the text would become a possible start.
    /// </remarks>
    internal static class KeyForms
    {
        // A form this short could be in ordinary text by chance (a short test key's hex, say); real keys are far longer.
        private const int ShortestEncodedForm = 12;

        // Between two characters: a line break, an indent or a wrapped header's space (a template, a hex dump or MIME's
        // base64 lines split the key, and Format-List rejoins it on screen), as itself or as JSON writes it.
        private const string Break = @"(?:\s|\\[nrt]|\\[uU]000[9aAdD])*";

        public static Regex PatternFor(string key)
        {
            var bytes = Encoding.UTF8.GetBytes(key);
            var forms = new List<string> { Spelled(key) };
            for (var offset = 0; offset < 3; offset++) forms.AddRange(Base64Forms(bytes, offset));
            var hex = string.Concat(bytes.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
            // Hex, either case (a hash printer's or a debugger's dump of the bytes).
            if (hex.Length >= ShortestEncodedForm) forms.Add("(?i:" + Spelled(hex) + ")");
            return new Regex(string.Join("|", forms.Distinct()), RegexOptions.CultureInvariant);
        }

        /// <summary>
        /// The key's base64 and base64url forms when it starts <paramref name="offset"/> bytes into a group of three:
        /// a service may encode it inside a longer text (a JSON document, "Bearer " + key) at any offset. Only the
        /// characters made of key bits alone are the same wherever the key sits. The character after them, which mixes
        /// the key's last bits with a neighbour's, and the padding are masked with them. The one before them, mixing a
        /// neighbour's bits with at most four of the key's first character's, stays: matching it would make every base64
        /// character a possible start of a match, and redaction ten times slower.
        /// </summary>
        private static IEnumerable<string> Base64Forms(byte[] key, int offset)
        {
            var placed = new byte[offset + key.Length + 2];
            Array.Copy(key, 0, placed, offset, key.Length);
            var encoded = Convert.ToBase64String(placed);
            int startBit = 8 * offset, endBit = 8 * (offset + key.Length);
            int first = (startBit + 5) / 6, end = endBit / 6; // the characters whose six bits all lie in the key
            if (end - first < ShortestEncodedForm) yield break;
            var core = encoded.Substring(first, end - first);
            var after = (endBit % 6 == 0 ? string.Empty : "[A-Za-z0-9+/_-]?") + "={0,2}";
            yield return Spelled(core) + after;
            // base64url (JWTs, URLs) differs only where base64 has + or /.
            if (core.IndexOfAny(new[] { '+', '/' }) >= 0) yield return Spelled(core.Replace('+', '-').Replace('/', '_')) + after;
        }

        /// <summary>Each character of <paramref name="form"/> in any of its escapes, with breaks between them.</summary>
        private static string Spelled(string form) => string.Join(Break, form.Select(Character));

        private static string Character(char c)
        {
            var pattern = new StringBuilder("(?:").Append(Regex.Escape(c.ToString()));
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
            return pattern.Append(')').ToString();
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
