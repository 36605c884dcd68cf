using System;
using System.Collections.Concurrent;

namespace RunApi.Client.Downloads
{
    /// <summary>The file names one call has given out, so two different images of the call never get the same one.</summary>
    internal sealed class NameClaims
    {
        // Case-blind: on Windows and macOS "A.png" and "a.png" are one file.
        private readonly ConcurrentDictionary<string, string> _owners = new ConcurrentDictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>True when <paramref name="path"/> is free in this call or already belongs to <paramref name="owner"/>.</summary>
        public bool TryClaim(string path, string owner) => _owners.GetOrAdd(path, owner) == owner;
    }
}
