using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using RunApi.Client;

namespace RunApi.PowerShell.NewImage
{
    /// <summary>
    /// The -SourceImage list of one call: public URLs as given, local files uploaded once through the Files API when
    /// the first create needs them (never under -WhatIf), shared by every prompt of the call.
    /// </summary>
    internal sealed class SourceImages
    {
        private readonly IReadOnlyList<Entry> _entries;
        private readonly object _gate = new object();
        private Task<IReadOnlyList<string>>? _resolved;

        private SourceImages(IReadOnlyList<Entry> entries)
        {
            _entries = entries;
        }

        /// <param name="resolvePath">Turns a PowerShell path into a file-system path (relative to the current location).</param>
        /// <exception cref="ArgumentException">A local file does not exist or is not an image type the API takes.</exception>
        /// <param name="expandWildcards">The files a pattern with wildcards matches (none: an error naming the pattern).</param>
        public static SourceImages From(IEnumerable<string> values, Func<string, string> resolvePath, Func<string, IReadOnlyList<string>>? expandWildcards = null)
        {
            var entries = new List<Entry>();
            foreach (var given in values)
            {
                if (expandWildcards is not null && !IsUrl(given) && WildcardPattern.ContainsWildcardCharacters(given))
                {
                    var matches = expandWildcards(given);
                    if (matches.Count == 0) throw new ArgumentException($"No file matches '{given}'.");
                    foreach (var match in matches) entries.Add(Checked(match, match));
                    continue;
                }
                if (IsUrl(given))
                {
                    entries.Add(new Entry(given, null));
                    continue;
                }
                entries.Add(Checked(given, resolvePath(given)));
            }
            return new SourceImages(entries);
        }

        private static bool IsUrl(string value) =>
            Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

        /// <summary>A local file that must exist and be an image by its bytes.</summary>
        private static Entry Checked(string value, string path)
        {
            if (Directory.Exists(path)) throw new ArgumentException($"'{value}' is a folder, not an image file. Give image files, for example '{value.TrimEnd('/', '\\')}/*.png'.");
            if (!File.Exists(path)) throw new ArgumentException($"The file '{value}' does not exist (looked for '{path}'). Give a public image URL or the path of a local image.");
            var problem = RunApiClient.SourceImageProblem(path);
            if (problem is not null) throw new ArgumentException($"The file '{value}' cannot be a source image: {problem}.");
            return new Entry(value, path);
        }

        private const string StandInPrefix = "https://upload.invalid/";

        /// <summary>
        /// URLs to validate the request with before anything is uploaded. A local file's stand-in names its full path,
        /// so a journal tells one local file from another of the same name.
        /// </summary>
        public IReadOnlyList<string> StandInUrls() =>
            _entries.Select(e => e.LocalPath is null ? e.Value : StandInPrefix + Uri.EscapeDataString(e.LocalPath)).ToList();

        /// <summary>True while a request still has stand-ins in place of uploaded files.</summary>
        public static bool HasStandIns(IEnumerable<string> urls) => urls.Any(u => u.StartsWith(StandInPrefix, StringComparison.Ordinal));

        /// <summary>The public URLs, uploading the local files on first use. Safe from any thread.</summary>
        public Task<IReadOnlyList<string>> ResolveAsync(RunApiClient client, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                return _resolved ??= UploadAsync(client, cancellationToken);
            }
        }

        private async Task<IReadOnlyList<string>> UploadAsync(RunApiClient client, CancellationToken cancellationToken)
        {
            var urls = new List<string>();
            foreach (var entry in _entries)
            {
                urls.Add(entry.LocalPath is null
                    ? entry.Value
                    : (await client.UploadFileAsync(entry.LocalPath, cancellationToken).ConfigureAwait(false)).Url);
            }
            return urls;
        }

        private sealed class Entry
        {
            public Entry(string value, string? localPath)
            {
                Value = value;
                LocalPath = localPath;
            }

            public string Value { get; }
            public string? LocalPath { get; }
        }
    }
}
