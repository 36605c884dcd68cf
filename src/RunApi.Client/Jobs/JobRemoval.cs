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
                foreach (var file in Directory.GetFiles(folder.Path))
                {
                    if (!external && string.Equals(Path.GetFullPath(file), Path.GetFullPath(journal), StringComparison.Ordinal)) continue;
                    File.Delete(file);
                }
                held?.Dispose();
                held = null;
                if (!external && File.Exists(journal)) File.Delete(journal);
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
