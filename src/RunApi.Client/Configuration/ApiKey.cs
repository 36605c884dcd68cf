using System;
using System.Text.RegularExpressions;

namespace RunApi.Client.Configuration
{
    /// <summary>
    /// An API key that does not print itself. ToString, debugger views and string interpolation show a mask,
    /// so the key cannot reach output, logs or exception messages by accident; only the transport reads it.
    /// </summary>
    internal sealed class ApiKey
    {
        private readonly string _value;

        public ApiKey(string value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException("An API key must not be blank.", nameof(value));
            }
            _value = value.Trim();
        }

        /// <summary>The key, for the Authorization header and for masking it out of text. Never display it.</summary>
        internal string Reveal() => _value;

        /// <summary>
        /// Replaces every occurrence of the key in <paramref name="text"/> with a mask: the key as itself, base64- or
        /// hex-encoded, JSON-escaped, URL-encoded or as HTML character references, in any mix, and broken across lines
        /// (see <see cref="KeyForms"/>).
        /// </summary>
        public string Redact(string? text)
        {
            if (string.IsNullOrEmpty(text)) return text ?? string.Empty;
            // No shortcut for text without escapes: base64, hex and a key broken by a line break have none.
            return Pattern.Replace(text, Mask);
        }

        /// <summary>True when <paramref name="text"/> holds the key in any of the forms <see cref="Redact"/> masks.</summary>
        public bool IsIn(string? text) => !string.IsNullOrEmpty(text) && Redact(text) != text;

        private Regex? _pattern;
        private Regex Pattern => _pattern ??= KeyForms.PatternFor(_value);

        public const string Mask = "***";

        public override string ToString() => Mask;
    }
}
