using System;
using System.IO;
using System.Runtime.InteropServices;
using RunApi.Client.Errors;

namespace RunApi.Client.Downloads
{
    /// <summary>
    /// Publishing a finished temporary file under its final name, and what counts as the disk failing. Publishing
    /// never replaces a file silently: without overwrite, the name is taken atomically or not at all (a hard link
    /// on Unix, whose creation fails if the name exists; MoveFileEx without replace on Windows), so two saves of one
    /// name cannot both succeed. With overwrite, the old file is replaced in one rename: it is never deleted first.
    /// </summary>
    internal static class LocalFiles
    {
        private const int EEXIST = 17;
        private static readonly object FallbackGate = new object();

        public static bool IsWriteFailure(Exception ex) =>
            (ex is IOException && !(ex is DestinationExistsException)) || ex is UnauthorizedAccessException ||
            ex is NotSupportedException || ex is System.Security.SecurityException;

        public static RunApiException WriteFailed(string path, Exception ex) =>
            new RunApiException(RunApiErrorKind.FileWrite, $"The image could not be written to '{path}': {ex.Message}", ex)
            { FilePath = path };

        /// <summary>The folder for an image could not be made: most often a file of that name is in the way.</summary>
        public static RunApiException FolderFailed(string directory, Exception ex) =>
            File.Exists(directory)
                ? new RunApiException(RunApiErrorKind.FileWrite, $"'{directory}' is a file, not a folder, so no image can be saved in it.", ex) { FilePath = directory }
                : new RunApiException(RunApiErrorKind.FileWrite, $"The folder '{directory}' could not be made: {ex.Message}", ex) { FilePath = directory };

        /// <summary>
        /// A fresh hidden temporary file name in <paramref name="folder"/>, for a file that gets its final name only when
        /// whole: short, so that a final name near the file system's limit still fits.
        /// </summary>
        public static string TemporaryIn(string folder) =>
            Path.Combine(folder, ".runapi-" + Guid.NewGuid().ToString("N").Substring(0, 16) + ".partial");

        /// <summary>Gives <paramref name="temporary"/> the name <paramref name="final"/>; fails if that name exists.</summary>
        public static void MoveNoReplace(string temporary, string final)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                MoveOrExists(temporary, final);
                return;
            }
            if (Native.link(temporary, final) == 0)
            {
                TryDelete(temporary);
                return;
            }
            var errno = Marshal.GetLastWin32Error();
            if (errno == EEXIST) throw new DestinationExistsException(final);
            if (!CannotLink(errno)) throw new IOException(Native.Describe(errno) + $" : '{final}'");
            // A file system without hard links (FAT, some network shares): the best left is a check and a move,
            // serialised within this process.
            lock (FallbackGate)
            {
                if (File.Exists(final) || Directory.Exists(final)) throw new DestinationExistsException(final);
                File.Move(temporary, final);
            }
        }

        /// <summary>Gives <paramref name="temporary"/> the name <paramref name="final"/>, replacing a file there in one step.</summary>
        public static void Replace(string temporary, string final)
        {
            if (Directory.Exists(final)) throw new IOException($"A folder is in the way of '{final}'.");
            for (var tries = 0; ; tries++)
            {
                try
                {
                    if (File.Exists(final))
                    {
                        File.Replace(temporary, final, null);
                        return;
                    }
                    MoveNoReplace(temporary, final);
                    return;
                }
                catch (Exception ex) when (tries == 0 && (ex is FileNotFoundException || ex is DestinationExistsException))
                {
                    // The file came or went between the check and the call: decide again once.
                }
            }
        }

        public static void TryDelete(string path)
        {
            try
            {
                if (File.Exists(path)) File.Delete(path);
            }
            catch (IOException)
            {
                // Best effort: a leftover temporary file is hidden and never has a final name.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        private static void MoveOrExists(string temporary, string final)
        {
            try
            {
                File.Move(temporary, final);
            }
            catch (IOException) when (File.Exists(final) || Directory.Exists(final))
            {
                throw new DestinationExistsException(final);
            }
        }

        // EPERM, EXDEV, EMLINK, ENOSYS and ENOTSUP/EOPNOTSUPP (Linux 95, macOS 45 and 102): no hard link here.
        private static bool CannotLink(int errno) =>
            errno == 1 || errno == 18 || errno == 31 || errno == 38 || errno == 95 || errno == 45 || errno == 102;

        private static class Native
        {
            [DllImport("libc", SetLastError = true)]
            public static extern int link(string oldPath, string newPath);

            [DllImport("libc")]
            private static extern IntPtr strerror(int errno);

            public static string Describe(int errno) =>
                Marshal.PtrToStringAnsi(strerror(errno)) ?? "error " + errno;
        }
    }
}
