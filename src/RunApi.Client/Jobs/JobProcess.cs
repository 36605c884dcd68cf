using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace RunApi.Client.Jobs
{
    /// <summary>
    /// Which process writes a job, and whether it still does: a run line names the process (its id, its start time, the
    /// machine); a reader asks the operating system whether that process still exists, and in this process whether the
    /// job's writer is still open. A process id that was reused by another program has another start time, so a job
    /// whose writer was killed (kill -9, a reboot) is never shown as running.
    /// </summary>
    internal static class JobProcess
    {
        private static readonly Dictionary<string, int> OpenHere = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        private static readonly Lazy<(int Id, DateTimeOffset Started)> Self = new Lazy<(int, DateTimeOffset)>(() =>
        {
            using var self = Process.GetCurrentProcess();
            return (self.Id, StartOf(self) ?? DateTimeOffset.MinValue);
        });

        public static int Id => Self.Value.Id;
        public static DateTimeOffset Started => Self.Value.Started;
        public static string Machine => Environment.MachineName;

        /// <summary>A writer of the job opened in this process (until <see cref="Closed"/>).</summary>
        public static void Opened(string jobId)
        {
            lock (OpenHere) OpenHere[jobId] = OpenHere.TryGetValue(jobId, out var n) ? n + 1 : 1;
        }

        public static void Closed(string jobId)
        {
            lock (OpenHere)
            {
                if (!OpenHere.TryGetValue(jobId, out var n)) return;
                if (n <= 1) OpenHere.Remove(jobId);
                else OpenHere[jobId] = n - 1;
            }
        }

        private static bool IsOpenHere(string jobId)
        {
            lock (OpenHere) return OpenHere.ContainsKey(jobId);
        }

        /// <summary>Whether the run's process is writing the job <paramref name="jobId"/> now.</summary>
        public static bool IsWriting(JobRun? run, string jobId)
        {
            if (run is null || run.EndedAt is not null || run.ProcessId is not { } pid) return false;
            if (!string.Equals(run.Machine, Machine, StringComparison.OrdinalIgnoreCase)) return false; // not ours to ask: taken as ended
            if (pid == Id && SameStart(run.ProcessStarted, Started)) return IsOpenHere(jobId);
            try
            {
                using var process = Process.GetProcessById(pid);
                return !process.HasExited && !IsZombie(pid) && SameStart(run.ProcessStarted, StartOf(process));
            }
            catch (ArgumentException)
            {
                return false; // no such process
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }

        /// <summary>Linux: a process killed and not yet reaped by its parent still has an id, and writes nothing.</summary>
        private static bool IsZombie(int pid)
        {
            try
            {
                var stat = System.IO.File.ReadAllText($"/proc/{pid}/stat");
                var state = stat.Substring(stat.LastIndexOf(')') + 2, 1);
                return state == "Z" || state == "X";
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException || ex is ArgumentOutOfRangeException)
            {
                return false; // not Linux, or gone: HasExited said the rest
            }
        }

        private static bool SameStart(DateTimeOffset? recorded, DateTimeOffset? actual) =>
            recorded is { } a && actual is { } b && (a - b).Duration() < TimeSpan.FromSeconds(2);

        private static DateTimeOffset? StartOf(Process process)
        {
            try
            {
                return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is System.ComponentModel.Win32Exception || ex is NotSupportedException)
            {
                return null;
            }
        }
    }
}
