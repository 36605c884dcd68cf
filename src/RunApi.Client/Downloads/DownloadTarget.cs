using System;
using System.IO;

namespace RunApi.Client.Downloads
{
    /// <summary>Where a download ends: an exact path, or a folder and a name whose extension the content decides.</summary>
    internal sealed class DownloadTarget
    {
        private DownloadTarget(string directory, string? fileName, string? baseName, bool overwrite)
        {
            Directory = directory;
            FileName = fileName;
            BaseName = baseName;
            Overwrite = overwrite;
        }

        public string Directory { get; }

        /// <summary>The exact file name, when the caller chose it.</summary>
        public string? FileName { get; }

        /// <summary>The name without extension, when the image's format decides the extension.</summary>
        public string? BaseName { get; }

        public bool Overwrite { get; }

        /// <summary>Text to write into the image file (PNG and JPEG), or null for the bytes exactly as served.</summary>
        public ImageMetadata? Metadata { get; private set; }

        /// <summary>
        /// Set for names the user chose (a template): a name another image of the call has, or (without overwrite) a file
        /// on disk has, is not an error but the cue to try "name-2", "name-3"... so no image is refused or lost.
        /// </summary>
        public NameClaims? Claims { get; private set; }

        public DownloadTarget WithMetadata(ImageMetadata? metadata) =>
            new DownloadTarget(Directory, FileName, BaseName, Overwrite) { Metadata = metadata, Claims = Claims };

        public DownloadTarget SuffixedWithin(NameClaims claims) =>
            new DownloadTarget(Directory, FileName, BaseName, Overwrite) { Metadata = Metadata, Claims = claims };

        /// <summary>The n-th candidate name: the name itself, then with "-2", "-3"... before the extension.</summary>
        internal string Candidate(string extension, int n) =>
            n == 1 ? FinalPath(extension) : Path.Combine(Directory, (FileName is null ? BaseName : Path.GetFileNameWithoutExtension(FileName)) + "-" + n +
                (FileName is null ? extension : Path.GetExtension(FileName)));

        /// <param name="path">A full file-system path.</param>
        public static DownloadTarget ExactPath(string path, bool overwrite)
        {
            var full = Path.GetFullPath(path);
            return new DownloadTarget(Path.GetDirectoryName(full) ?? throw new ArgumentException("The path has no folder.", nameof(path)),
                Path.GetFileName(full), null, overwrite);
        }

        /// <param name="directory">A full file-system path to a folder.</param>
        /// <param name="baseName">Any text: it is made safe as a file name here.</param>
        public static DownloadTarget InDirectory(string directory, string baseName, bool overwrite) =>
            new DownloadTarget(Path.GetFullPath(directory), null, SafeFileName.From(baseName), overwrite);

        internal string FinalPath(string extension) => Path.Combine(Directory, FileName ?? BaseName + extension);
    }
}
