using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using RunApi.Client.Configuration;
using RunApi.Client.Journal;

namespace RunApi.Client.Jobs
{
    /// <summary>
    /// The per-user folder of jobs: one folder per job, named by its id, holding job.json, summary.json and (unless the
    /// user chose its place with -JournalPath) journal.jsonl. Where it is follows the platform's conventions
    /// (<see cref="DefaultRoot"/>); RUNAPI_JOB_PATH moves it.
    /// </summary>
    internal sealed class JobStore
    {
        public const string JournalFileName = "journal.jsonl";

        public JobStore(string root)
        {
            Root = Path.GetFullPath(root);
        }

        public string Root { get; }

        /// <summary>RUNAPI_JOB_PATH when set, else the platform's place for a user's application data.</summary>
        public static JobStore Resolve() =>
            new JobStore(Environment.GetEnvironmentVariable(EnvironmentVariables.JobPath) is { Length: > 0 } given
                ? given
                : DefaultRoot(Environment.GetEnvironmentVariable, CurrentPlatform(), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
                    Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)));

        internal static OSPlatform CurrentPlatform() =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? OSPlatform.Windows
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? OSPlatform.OSX
            : OSPlatform.Linux;

        /// <summary>
        /// Windows: %LOCALAPPDATA%\RunApi\Jobs (jobs belong to this machine, not a roaming profile). macOS:
        /// ~/Library/Application Support/RunApi/Jobs. Linux and other Unixes: $XDG_DATA_HOME/runapi/jobs, or
        /// ~/.local/share/runapi/jobs when XDG_DATA_HOME is unset or not absolute (the XDG Base Directory rule).
        /// </summary>
        internal static string DefaultRoot(Func<string, string?> environment, OSPlatform platform, string home, string localAppData)
        {
            if (platform == OSPlatform.Windows) return Path.Combine(localAppData, "RunApi", "Jobs");
            if (platform == OSPlatform.OSX) return Path.Combine(home, "Library", "Application Support", "RunApi", "Jobs");
            var data = environment("XDG_DATA_HOME");
            if (string.IsNullOrEmpty(data) || !data!.StartsWith("/", StringComparison.Ordinal)) data = Path.Combine(home, ".local", "share");
            return Path.Combine(data, "runapi", "jobs");
        }

        public JobFolder Folder(string id) => new JobFolder(this, id);

        /// <summary>
        /// A new job's folder with its record, under a new id. The store's folder is made if needed, readable by the user
        /// alone on Unix (a journal holds the prompts).
        /// </summary>
        /// <exception cref="JournalException">The folder cannot be made or written (JobStoreUnusable).</exception>
        public JobFolder Create(JobRecord record)
        {
            try
            {
                EnsureRoot();
                for (var attempt = 0; ; attempt++)
                {
                    var id = NewId();
                    var path = Path.Combine(Root, id);
                    if (Directory.Exists(path) && attempt < 10) continue;
                    Directory.CreateDirectory(path);
                    record.Id = id;
                    var folder = new JobFolder(this, id);
                    record.Write(folder.RecordPath);
                    return folder;
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Unusable(ex);
            }
        }

        /// <summary>Puts back the record of a job whose journal names it (a -JournalPath journal whose job folder was removed or is elsewhere).</summary>
        public JobFolder Adopt(JobRecord record)
        {
            try
            {
                EnsureRoot();
                var folder = new JobFolder(this, record.Id);
                Directory.CreateDirectory(folder.Path);
                record.Write(folder.RecordPath);
                return folder;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Unusable(ex);
            }
        }

        private JournalException Unusable(Exception ex) =>
            new JournalException(JournalProblem.JobStoreUnusable,
                $"The job folder '{Root}' cannot be written ({ex.Message}), so nothing was sent. Free some space or fix its " +
                $"permissions, or point {EnvironmentVariables.JobPath} at a folder that can be written.", ex);

        private void EnsureRoot()
        {
            if (Directory.Exists(Root)) return;
#if NETFRAMEWORK
            Directory.CreateDirectory(Root);
#else
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(Root);
            else Directory.CreateDirectory(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
#endif
        }

        /// <summary>Every job folder with a record; a folder without one (a job being made, or not ours) is passed over.</summary>
        public IEnumerable<JobFolder> All()
        {
            if (!Directory.Exists(Root)) return Enumerable.Empty<JobFolder>();
            return Directory.EnumerateDirectories(Root)
                .Select(path => new JobFolder(this, Path.GetFileName(path)))
                .Where(folder => IsId(folder.Id) && File.Exists(folder.RecordPath))
                .ToList();
        }

        /// <summary>Job folders whose record is there but cannot be read (changed or damaged by hand): they are not listed.</summary>
        public IEnumerable<JobFolder> Unreadable() =>
            !Directory.Exists(Root) ? Enumerable.Empty<JobFolder>()
            : Directory.EnumerateDirectories(Root)
                .Select(path => new JobFolder(this, Path.GetFileName(path)))
                .Where(folder => IsId(folder.Id) && File.Exists(folder.RecordPath) && folder.Record is null)
                .ToList();

        /// <summary>The job with this id, or null.</summary>
        public JobFolder? Find(string id)
        {
            if (!IsId(id)) return null;
            var folder = new JobFolder(this, id.ToLowerInvariant());
            return File.Exists(folder.RecordPath) ? folder : null;
        }

        /// <summary>The job whose journal is the file at <paramref name="journalPath"/> (by its full path), if one is recorded.</summary>
        public JobFolder? FindByJournal(string journalPath, string? idInHeader)
        {
            var full = Path.GetFullPath(journalPath);
            if (idInHeader is not null && Find(idInHeader) is { } named && SamePath(named.JournalPath, full)) return named;
            return All().FirstOrDefault(folder => SamePath(folder.JournalPath, full));
        }

        private static bool SamePath(string a, string b) =>
            string.Equals(Path.GetFullPath(a), b, RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);

        private const string IdAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford's base 32: no i, l, o, u
        public const int IdLength = 8;

        /// <summary>Eight characters of Crockford's base 32 (40 random bits): short to type, and never a word to misread.</summary>
        internal static string NewId()
        {
            var bytes = new byte[IdLength];
            using (var random = RandomNumberGenerator.Create()) random.GetBytes(bytes);
            var id = new char[IdLength];
            for (var i = 0; i < IdLength; i++) id[i] = IdAlphabet[bytes[i] & 31];
            return new string(id);
        }

        public static bool IsId(string? text) =>
            text is { Length: IdLength } && text.All(c => IdAlphabet.IndexOf(char.ToLowerInvariant(c)) >= 0);
    }

    /// <summary>One job's folder and the files in it.</summary>
    internal sealed class JobFolder
    {
        private JobRecord? _record;

        public JobFolder(JobStore store, string id)
        {
            Store = store;
            Id = id;
            Path = System.IO.Path.Combine(store.Root, id);
        }

        public JobStore Store { get; }
        public string Id { get; }
        public string Path { get; }
        public string RecordPath => System.IO.Path.Combine(Path, JobRecord.FileName);
        public string SummaryPath => System.IO.Path.Combine(Path, JobSummary.FileName);

        /// <summary>The record, read once; null when it cannot be read.</summary>
        public JobRecord? Record => _record ??= JobRecord.Read(RecordPath);

        /// <summary>Where its journal is: the user's -JournalPath, or the folder's own.</summary>
        public string JournalPath => Record?.Journal ?? System.IO.Path.Combine(Path, JobStore.JournalFileName);

        /// <summary>Whether the journal is the user's own file, outside the job folder (removing the job leaves it).</summary>
        public bool JournalIsExternal => Record?.Journal is not null;
    }
}
