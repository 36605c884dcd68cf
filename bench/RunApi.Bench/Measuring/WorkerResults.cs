using RunApi.Bench.Protocol;

namespace RunApi.Bench.Measuring;

/// <summary>Several workers measured as one client: their prompts together, from the first start to the last finish.</summary>
public static class WorkerResults
{
    /// <summary>Prompts, lanes, CPU and connections add up; the working sets are the largest of any one process.</summary>
    public static WorkerResult Merge(IReadOnlyList<WorkerResult> results)
    {
        if (results.Count == 1) return results[0];
        return new WorkerResult
        {
            Client = results[0].Client,
            Lanes = results.Sum(r => r.Lanes),
            StartedAt = results.Min(r => r.StartedAt),
            FinishedAt = results.Max(r => r.FinishedAt),
            WarmupCpuMilliseconds = results.Sum(r => r.WarmupCpuMilliseconds),
            CpuMilliseconds = results.Sum(r => r.CpuMilliseconds),
            PeakWorkingSetBytes = results.Max(r => r.PeakWorkingSetBytes),
            StartWorkingSetBytes = results.Max(r => r.StartWorkingSetBytes),
            ConnectionsOpened = results.SelectMany(r => r.ConnectionsOpened)
                .GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Sum(c => c.Value)),
            Prompts = results.SelectMany(r => r.Prompts).OrderBy(p => p.Index).ToList(),
        };
    }
}
