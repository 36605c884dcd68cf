namespace RunApi.PowerShell.Jobs
{
    /// <summary>
    /// What Resume-ImagenJob asks of the New-ImagenImage it runs on a job's rows, beyond its parameters: that rows
    /// already saved pass silently, that failed rows are left alone or (with -RetryFailed) retried when their cause
    /// allows, and that the job's input stays as it was (a resume reads none of its own). Handed over on the pipeline
    /// thread, just before that command begins: the one New-ImagenImage that begins next on this thread takes it.
    /// </summary>
    internal sealed class ResumeContext
    {
        [System.ThreadStatic] private static ResumeContext? _offered;

        public ResumeContext(bool retryFailed, string goal)
        {
            RetryFailed = retryFailed;
            Goal = goal;
        }

        public bool RetryFailed { get; }

        /// <summary>The job's goal: a row that reached it is passed over.</summary>
        public string Goal { get; }

        /// <summary>How many failed rows were left alone, and how many of them -RetryFailed would send again.</summary>
        public int FailedLeft { get; set; }
        public int RetryableLeft { get; set; }

        public static void Offer(ResumeContext? context) => _offered = context;

        public static ResumeContext? Take()
        {
            var context = _offered;
            _offered = null;
            return context;
        }
    }
}
