using System.IO;
using RunApi.Client.Downloads;

namespace RunApi.Client.Jobs
{
    /// <summary>How a job's small files are written: whole or not at all (a temporary file, then one rename).</summary>
    internal static class JobFiles
    {
        public static void WriteAtomically(string path, byte[] content)
        {
            var temporary = LocalFiles.TemporaryIn(Path.GetDirectoryName(path) ?? ".");
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    stream.Write(content, 0, content.Length);
                    // On the device before the rename: after a power loss the name then holds the old file or the new, not an empty one.
                    stream.Flush(flushToDisk: true);
                }
                LocalFiles.Replace(temporary, path);
            }
            finally
            {
                LocalFiles.TryDelete(temporary);
            }
        }
    }
}
