namespace RunApi.Client.Journal
{
    /// <summary>What a journal's writer knows of its job: its id, where its summary goes, and what this run is.</summary>
    internal sealed class JobWriting
    {
        public JobWriting(string jobId, string summaryPath, string goal, bool? inputEnded = null)
        {
            JobId = jobId;
            SummaryPath = summaryPath;
            Goal = goal;
            InputEnded = inputEnded;
        }

        public string JobId { get; }
        public string SummaryPath { get; }
        public string Goal { get; }

        /// <summary>The input state this run starts with: false for a command that reads input, null to keep the job's.</summary>
        public bool? InputEnded { get; }
    }
}
