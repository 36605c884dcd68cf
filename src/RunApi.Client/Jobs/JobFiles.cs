using System;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RunApi.Client.Jobs
{
    /// <summary>How a job's small files are written: whole or not at all (a temporary file, then one rename).</summary>
    internal static class JobFiles
    {
        internal static readonly JsonSerializerOptions Json = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };

        public static void WriteAtomically(string path, byte[] content)
        {
            var temporary = path + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp";
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    stream.Write(content, 0, content.Length);
                }
#if NETFRAMEWORK
                if (File.Exists(path)) File.Replace(temporary, path, null, ignoreMetadataErrors: true);
                else File.Move(temporary, path);
#else
                File.Move(temporary, path, overwrite: true);
#endif
            }
            finally
            {
                try
                {
                    if (File.Exists(temporary)) File.Delete(temporary);
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }
    }
}
