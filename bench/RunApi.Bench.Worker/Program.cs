// The bench's worker: runs one client against the simulator the bench hosts and writes a WorkerResult as JSON.
//   RunApi.Bench.Worker --client ours|baseline --base-uri URI --key KEY --count N [--throttle T] [--lanes L] [--model M]
//                       [--warmup-model M] [--arrival-interval-ms MS] --output-dir DIR --result FILE [--deadline-s S]
//                       [--phases N1,N2,...] [--first-index I] [--start-at-unix-ms MS]
// Exit code: 0 when the result was written (individual prompt failures are in it), 2 on bad arguments.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using RunApi.Bench.Protocol;
using RunApi.Bench.Worker;

WorkerArguments arguments;
try
{
    arguments = WorkerArguments.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException or UriFormatException)
{
    Console.Error.WriteLine("RunApi.Bench.Worker: " + ex.Message);
    return 2;
}

using var connections = new ConnectionCounter();
IClientRun run = arguments.Client == "ours" ? new OurClientRun(arguments) : new SdkBaselineRun(arguments);
using var deadline = new CancellationTokenSource(arguments.Deadline);
Directory.CreateDirectory(arguments.OutputDirectory);

var result = new WorkerResult { Client = arguments.Client, Lanes = arguments.Client == "baseline" ? arguments.Lanes : 1 };
var cpuBeforeWarmUp = ProcessGauge.ProcessorTime();
await run.WarmUpAsync(arguments.WarmUpModel, WarmUp.Prompts, deadline.Token);
// Let anything the warm-up left running in the background (finalizers, pool timers) settle before the clock starts.
await Task.Delay(WarmUp.Settle, deadline.Token);
var cpuBefore = ProcessGauge.ProcessorTime();
result.WarmupCpuMilliseconds = (cpuBefore - cpuBeforeWarmUp).TotalMilliseconds;
result.StartWorkingSetBytes = ProcessGauge.WorkingSet();
// Workers started together (several processes on one key) begin their prompts at one instant, whenever each warmed up.
if (arguments.StartAt - DateTimeOffset.UtcNow is { } early && early > TimeSpan.Zero) await Task.Delay(early, deadline.Token);
result.StartedAt = DateTimeOffset.UtcNow;
var prompts = new List<PromptRecord>();
var first = arguments.FirstIndex;
for (var phase = 0; phase < arguments.Phases.Count; phase++)
{
    var count = arguments.Phases[phase];
    var schedule = new ArrivalSchedule(DateTimeOffset.UtcNow, arguments.ArrivalInterval);
    prompts.AddRange(await run.RunAsync(new PromptPhase(phase, first, count, schedule), deadline.Token));
    first += count;
}
result.FinishedAt = DateTimeOffset.UtcNow;
result.CpuMilliseconds = (ProcessGauge.ProcessorTime() - cpuBefore).TotalMilliseconds;
result.PeakWorkingSetBytes = ProcessGauge.PeakWorkingSet();
result.ConnectionsOpened = connections.Snapshot();
result.Prompts = prompts;

File.WriteAllText(arguments.ResultPath, JsonSerializer.Serialize(result));
(run as IDisposable)?.Dispose();
return 0;

/// <summary>How much warm-up precedes the measured prompts.</summary>
internal static class WarmUp
{
    /// <summary>
    /// A few prompts: the bench starts workers with tiered compilation off, so every method is compiled, fully
    /// optimised, on its first call, and nothing is re-compiled later in the background.
    /// </summary>
    public const int Prompts = 3;

    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(500);
}
