using System;

namespace RunApi.Client.Configuration
{
    /// <summary>
    /// An API key that does not print itself. ToString, debugger views and string interpolation show a mask,
    /// so the key cannot reach output, logs or exception messages by accident; only the transport reads it.
    /// </summary>
    public sealed class ApiKey
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

        /// <summary>Replaces every occurrence of the key in <paramref name="text"/> with a mask.</summary>
        public string Redact(string? text)
        {
            if (string.IsNullOrEmpty(text)) return text ?? string.Empty;
            return text!.Replace(_value, Mask);
        }

        public const string Mask = "***";

        public override string ToString() => Mask;
    }
}
