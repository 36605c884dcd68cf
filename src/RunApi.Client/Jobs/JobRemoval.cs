using System;
using System.IO;
using RunApi.Client.Journal;

namespace RunApi.Client.Jobs
{
    /// <summary>
    /// Removes a job's folder, holding its journal's lock while it does: a command that begins to write the job meanwhile
    /// is refused (the journal is in use), and one that writes it now makes the removal refused. A journal the user
    /// chose (-JournalPath) stays where it is.
    /// </summary>
    internal static class JobRemoval
    {
        /// <exception cref="JournalException">A command is writing the job (InUse), or the folder cannot be removed.</exception>
        public static void Remove(JobFolder folder)
        {
            var journal = folder.JournalPath;
            var external = folder.JournalIsExternal;
            FileStream? held = null;
            FileStream? lockBeside = null;
            try
            {
                if (File.Exists(journal)) held = JournalFileLock.OpenForWriting(journal, out lockBeside);
                // The record goes last: a folder that keeps it after a failed delete is still listed, and can be removed again.
                var record = Path.GetFullPath(folder.RecordPath);
                foreach (var file in Directory.GetFiles(folder.Path))
                {
                    var full = Path.GetFullPath(file);
                    if (string.Equals(full, record, StringComparison.Ordinal)) continue;
                    if (!external && string.Equals(full, Path.GetFullPath(journal), StringComparison.Ordinal)) continue;
                    File.Delete(file);
                }
                foreach (var directory in Directory.GetDirectories(folder.Path)) Directory.Delete(directory, recursive: true);
                held?.Dispose();
                held = null;
                if (!external && File.Exists(journal)) File.Delete(journal);
                File.Delete(record);
                Directory.Delete(folder.Path, recursive: true);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new JournalException(JournalProblem.WriteFailed, $"Job {folder.Id} could not be removed from '{folder.Path}': {ex.Message}", ex);
            }
            finally
            {
                held?.Dispose();
                lockBeside?.Dispose();
            }
        }
    }
}
