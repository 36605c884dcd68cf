// Compiled into both the bench and its worker (linked, not copied): the JSON a worker process writes and the bench
// reads. Times are UTC wall-clock instants; the simulator (in the bench process) stamps its tasks on the same system
// clock, so instants from the two processes can be subtracted.
using System;
using System.Collections.Generic;

namespace RunApi.Bench.Protocol
{
    /// <summary>What one worker process measured while one client handled N prompts.</summary>
    public sealed class WorkerResult
    {
        /// <summary>"ours" or "baseline".</summary>
        public string Client { get; set; } = "";

        /// <summary>For the baseline: how many independent sequential loops shared the prompts (1 = strictly one at a time).</summary>
        public int Lanes { get; set; } = 1;

        /// <summary>When the first prompt could arrive (the arrival schedule starts here).</summary>
        public DateTimeOffset StartedAt { get; set; }

        /// <summary>When the last prompt was finished (saved or failed).</summary>
        public DateTimeOffset FinishedAt { get; set; }

        /// <summary>Processor time of the one warm-up prompt run before StartedAt (mostly JIT of the first calls).</summary>
        public double WarmupCpuMilliseconds { get; set; }

        /// <summary>Processor time (user + kernel, all threads) spent between StartedAt and FinishedAt.</summary>
        public double CpuMilliseconds { get; set; }

        /// <summary>Process peak working set (Linux VmHWM) at the end: runtime start-up included.</summary>
        public long PeakWorkingSetBytes { get; set; }

        /// <summary>Working set just before the first prompt, to show how much of the peak is the runtime itself.</summary>
        public long StartWorkingSetBytes { get; set; }

        /// <summary>HTTP connections the process opened, per "host:port", as System.Net.Http reports them.</summary>
        public Dictionary<string, int> ConnectionsOpened { get; set; } = new Dictionary<string, int>();

        public List<PromptRecord> Prompts { get; set; } = new List<PromptRecord>();
    }

    /// <summary>One prompt's way through create, wait and download.</summary>
    public sealed class PromptRecord
    {
        public int Index { get; set; }

        /// <summary>Which of the worker's phases (0, 1, ...) the prompt belonged to; each phase starts when the last has ended.</summary>
        public int Phase { get; set; }

        /// <summary>The task id the create returned; null if the create failed.</summary>
        public string? TaskId { get; set; }

        /// <summary>When the prompt arrived (by the arrival schedule), before any throttle wait.</summary>
        public DateTimeOffset ArrivedAt { get; set; }

        /// <summary>The moment the client knew the task was completed (its wait returned); null if it never did.</summary>
        public DateTimeOffset? DetectedAt { get; set; }

        /// <summary>When the last image of the task was on disk.</summary>
        public DateTimeOffset? SavedAt { get; set; }

        public int ImagesSaved { get; set; }

        public long BytesSaved { get; set; }

        /// <summary>The failure, when the prompt did not end with its images saved.</summary>
        public string? Error { get; set; }
    }
}
