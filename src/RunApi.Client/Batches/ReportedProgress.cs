using System;

namespace RunApi.Client.Batches
{
    /// <summary>The progress RunAPI reported for the tasks of a batch still generating, of those that reported any.</summary>
    internal readonly struct ReportedProgress
    {
        public ReportedProgress(int tasks, double totalPercent)
        {
            Tasks = tasks;
            TotalPercent = totalPercent;
        }

        /// <summary>Tasks generating whose latest answer gave a progress.</summary>
        public int Tasks { get; }

        /// <summary>Their percents added up, each held within 0 to 100.</summary>
        public double TotalPercent { get; }

        public double? MeanPercent => Tasks == 0 ? (double?)null : TotalPercent / Tasks;

        /// <summary>One more task's progress, as RunAPI gave it (a percent outside 0 to 100 is held to it).</summary>
        public ReportedProgress With(double percent) =>
            double.IsNaN(percent) ? this : new ReportedProgress(Tasks + 1, TotalPercent + Math.Max(0, Math.Min(100, percent)));
    }
}
