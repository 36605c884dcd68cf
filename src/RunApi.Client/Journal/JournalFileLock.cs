using System;
using System.ComponentModel;
using System.IO;
using System.Runtime.InteropServices;

namespace RunApi.Client.Journal
{
    /// <summary>
    /// Opens a journal for writing by one command at a time. What is locked is the file itself, not the name it was
    /// reached by: a journal reached through a symlink, a hard link or a <c>..</c> is still one journal, and a second
    /// command that opens it by any of its names is refused before it can send or write anything. Readers
    /// (<c>Get-ImagenTask -JournalPath</c>) are never kept out. Every lock here goes with its handle, however the
    /// process ends.
    /// </summary>
    internal static class JournalFileLock
    {
        /// <summary>
        /// The journal at <paramref name="path"/>, open for reading and appending, and this command's alone. Where the
        /// file itself cannot be locked (macOS and other Unixes without open file description locks), a lock file
        /// beside the journal's final path (<paramref name="lockBeside"/>, to dispose with the journal) stands in: it
        /// sees through a symlink to the journal and a <c>..</c>, not a hard link.
        /// </summary>
        public static FileStream OpenForWriting(string path, out FileStream? lockBeside)
        {
            lockBeside = null;
            FileStream file;
            try
            {
                // On Windows the sharing mode is the lock: no other handle may write to this file, whatever its name.
                file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
            }
            catch (IOException ex) when (IsSharingViolation(ex))
            {
                throw InUse(path, ex);
            }
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return file;
            try
            {
                // On Unix a file open for writing keeps no one else from writing, so the file gets a lock of its own.
                if (LinuxFileLock.IsAvailable)
                {
                    if (!LinuxFileLock.TryLock(file)) throw InUse(path, null);
                }
                else
                {
                    lockBeside = LockBeside(path);
                }
                return file;
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }

        private static FileStream LockBeside(string path)
        {
#if NETFRAMEWORK
            var target = Path.GetFullPath(path); // never reached: Windows locks by sharing mode
#else
            var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
#endif
            try
            {
                // FileShare.None is flock(LOCK_EX) here, on a file of its own: readers of the journal are not kept out.
                return new FileStream(target + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException ex)
            {
                throw InUse(path, ex);
            }
        }

        private static bool IsSharingViolation(IOException error)
        {
            const int SharingViolation = 32, LockViolation = 33;
            var code = error.HResult & 0xFFFF;
            return RuntimeInformation.IsOSPlatform(OSPlatform.Windows) && (code == SharingViolation || code == LockViolation);
        }

        private static JournalException InUse(string path, Exception? inner) =>
            new JournalException(JournalProblem.InUse,
                $"The journal '{path}' is in use by another command (in this process or another, maybe by another name " +
                "of the same file). Wait for that command to end, or give this one a journal of its own.", inner);
    }

    /// <summary>
    /// An open file description lock (Linux 3.15+, <c>F_OFD_SETLK</c>) over the whole file. Unlike the locks .NET takes
    /// (flock, shared for every writer; or fcntl record locks, which a process never conflicts with itself on and loses
    /// when it closes any handle to the file), it holds against every other open of the file, in this process or
    /// another, and is released only when this handle closes. Advisory: readers do not take it and are not stopped.
    /// </summary>
    internal static class LinuxFileLock
    {
        private const int OpenFileDescriptionSetLock = 37; // F_OFD_SETLK
        private const short WriteLock = 1;                 // F_WRLCK
        private const int WouldBlock = 11, AccessDenied = 13; // EAGAIN, EACCES: another holds it

        // struct flock of 64-bit Linux (x64 and arm64 alike): l_start and l_len are 64-bit, l_pid must be 0.
        [StructLayout(LayoutKind.Sequential)]
        private struct Region
        {
            public short Type;
            public short Whence;
            public long Start;
            public long Length; // 0: to the end of the file, however long it grows
            public int Pid;
        }

        [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
        private static extern int Fcntl(IntPtr descriptor, int command, ref Region region);

        /// <summary>64-bit Linux, whose struct flock is the one above; macOS and the BSDs have no such lock.</summary>
        public static bool IsAvailable => RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && IntPtr.Size == 8;

        /// <summary>False when another open of the file holds the lock.</summary>
        public static bool TryLock(FileStream file)
        {
            var region = new Region { Type = WriteLock };
            if (Fcntl(file.SafeFileHandle.DangerousGetHandle(), OpenFileDescriptionSetLock, ref region) == 0) return true;
            var error = Marshal.GetLastWin32Error();
            if (error == WouldBlock || error == AccessDenied) return false;
            throw new IOException("The journal could not be locked: " + new Win32Exception(error).Message);
        }
    }
}
