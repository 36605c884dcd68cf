using System;

namespace RunApi.Client.Journal
{
    /// <summary>What can be wrong with a journal; the cmdlets turn each into an ErrorId (RunApiJournal + the name).</summary>
    public enum JournalProblem
    {
        /// <summary>The folder for the journal does not exist.</summary>
        FolderMissing,

        /// <summary>The file is not a RunApi batch journal.</summary>
        NotAJournal,

        /// <summary>Written by a newer version of the module, in a format this one does not know.</summary>
        NewerFormat,

        /// <summary>A line other than the last cannot be read.</summary>
        Damaged,

        /// <summary>Another command, in this process or another, has the journal open.</summary>
        InUse,

        /// <summary>The journal was written by a different command (other prompts, model or options).</summary>
        Mismatch,

        /// <summary>A line could not be written (disk full, permissions).</summary>
        WriteFailed,

        /// <summary>No journal at that path (reading one back).</summary>
        NotFound,

        /// <summary>The journal's tasks live on another API origin than this command's.</summary>
        OtherOrigin,

        /// <summary>The folder of jobs cannot be made or written (a full disk, permissions).</summary>
        JobStoreUnusable,

        /// <summary>No job has that id.</summary>
        JobNotFound,

        /// <summary>A command is writing the job now.</summary>
        JobRunning,
    }

    /// <summary>A journal that cannot be used as it is; the message says why and what to do.</summary>
    public sealed class JournalException : Exception
    {
        public JournalException(JournalProblem problem, string message, Exception? inner = null) : base(message, inner)
        {
            Problem = problem;
        }

        public JournalProblem Problem { get; }
    }
}
