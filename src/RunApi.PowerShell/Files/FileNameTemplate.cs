using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace RunApi.PowerShell.Files
{
    /// <summary>
    /// A file name chosen by the user (-FileNameTemplate), such as "{Row}-{Prompt}" or "{Model}/{Seed}" is not: tokens
    /// in braces are replaced by the image's facts made safe for a file name; the text around them must already be a
    /// safe name. The extension still comes from the image's own bytes.
    /// </summary>
    internal sealed class FileNameTemplate
    {
        public const string Default = "{TaskId}_{Index}";
        public const int PromptLength = 40;

        private static readonly string[] Tokens = { "TaskId", "Index", "Row", "Prompt", "Model", "Seed", "Date" };
        private static readonly Regex Token = new Regex(@"\{([A-Za-z]+)\}", RegexOptions.CultureInvariant);
        private static readonly Regex Literal = new Regex(@"^[A-Za-z0-9._-]*$", RegexOptions.CultureInvariant);

        private readonly string _text;

        private FileNameTemplate(string text)
        {
            _text = text;
        }

        /// <summary>Checks a template; the message of the exception says what is wrong and what is allowed.</summary>
        public static FileNameTemplate Parse(string text)
        {
            var unknown = Token.Matches(text).Cast<Match>().Select(m => m.Groups[1].Value)
                .Where(t => !Tokens.Contains(t, StringComparer.OrdinalIgnoreCase)).ToList();
            if (unknown.Count > 0)
            {
                throw new ArgumentException($"The file name template has an unknown token {{{unknown[0]}}}. Tokens: {string.Join(", ", Tokens.Select(t => "{" + t + "}"))}.");
            }
            var literal = Token.Replace(text, string.Empty);
            if (!Literal.IsMatch(literal) || text.Trim('.').Length == 0 || !Token.IsMatch(text))
            {
                throw new ArgumentException("A file name template is one or more tokens such as {TaskId}, {Row} or {Prompt}, with only letters, digits, '.', '-' and '_' around them (no folder separators; the extension is added from the image).");
            }
            return new FileNameTemplate(text);
        }

        public string Render(ImageProvenance image, int? row, DateTimeOffset now) =>
            Token.Replace(_text, m => Value(m.Groups[1].Value, image, row, now));

        private static string Value(string token, ImageProvenance image, int? row, DateTimeOffset now)
        {
            switch (token.ToLowerInvariant())
            {
                case "taskid": return Slug(image.TaskId ?? "image", int.MaxValue);
                case "index": return image.ImageIndex.ToString(CultureInfo.InvariantCulture);
                case "row": return row.HasValue ? (row.Value + 1).ToString(CultureInfo.InvariantCulture) : "0";
                case "prompt": return Slug(image.Ask.Prompt ?? "image", PromptLength);
                case "model": return Slug(image.Ask.Model ?? "model", int.MaxValue);
                case "seed": return image.Ask.Seed?.ToString(CultureInfo.InvariantCulture) ?? "noseed";
                default: return (image.CompletedAt ?? now).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            }
        }

        /// <summary>Letters and digits kept (accents dropped), every other run of characters one '-', cut at a word.</summary>
        private static string Slug(string text, int length)
        {
            var builder = new StringBuilder();
            foreach (var c in text.Normalize(NormalizationForm.FormD))
            {
                if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
                if (c < 0x80 && char.IsLetterOrDigit(c) || c == '_') builder.Append(c);
                else if (builder.Length > 0 && builder[builder.Length - 1] != '-') builder.Append('-');
            }
            var slug = builder.ToString().Trim('-');
            if (slug.Length > length)
            {
                var cut = slug.LastIndexOf('-', length);
                slug = slug.Substring(0, cut > length / 2 ? cut : length);
            }
            return slug.Length == 0 ? "x" : slug;
        }
    }
}
