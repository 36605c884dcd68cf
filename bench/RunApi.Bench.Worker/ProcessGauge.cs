using System;
using System.Diagnostics;

namespace RunApi.Bench.Worker
{
    /// <summary>This process's processor time and working set, read from the OS (on Linux: /proc/self).</summary>
    internal static class ProcessGauge
    {
        public static TimeSpan ProcessorTime()
        {
            using var self = Process.GetCurrentProcess();
            return self.TotalProcessorTime;
        }

        public static long WorkingSet()
        {
            using var self = Process.GetCurrentProcess();
            return self.WorkingSet64;
        }

        /// <summary>The highest working set the process has had (VmHWM): a peak between samples is not missed.</summary>
        public static long PeakWorkingSet()
        {
            using var self = Process.GetCurrentProcess();
            return self.PeakWorkingSet64;
        }
    }
}
