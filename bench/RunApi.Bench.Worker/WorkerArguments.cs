using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace RunApi.Bench.Worker
{
    /// <summary>What the bench tells a worker to do. Every option is required except where a default is given.</summary>
    internal sealed class WorkerArguments
    {
        public string Client { get; private set; } = "";
        public Uri BaseUri { get; private set; } = null!;
        public string Key { get; private set; } = "";
        public int Count { get; private set; }

        /// <summary>
        /// The prompts in phases run one after the other in this process, each when the one before has ended (the
        /// prompts of a script's successive commands); one phase of <see cref="Count"/> prompts unless given.
        /// </summary>
        public IReadOnlyList<int> Phases { get; private set; } = Array.Empty<int>();

        /// <summary>The first prompt's index: workers sharing a simulator send different prompts.</summary>
        public int FirstIndex { get; private set; }

        /// <summary>When set, the measured prompts start at this instant (after the warm-up): workers started together begin together.</summary>
        public DateTimeOffset? StartAt { get; private set; }
        public int Throttle { get; private set; } = 32;

        /// <summary>Baseline only: independent sequential loops, prompt i in loop i mod lanes.</summary>
        public int Lanes { get; private set; } = 1;
        public string Model { get; private set; } = "imagen-4";

        /// <summary>The model of the warm-up prompt: another one than <see cref="Model"/>, so the bench can leave it out.</summary>
        public string WarmUpModel { get; private set; } = "imagen-4-fast";

        /// <summary>Time between two prompt arrivals; zero means all prompts arrive at once.</summary>
        public TimeSpan ArrivalInterval { get; private set; }

        public string OutputDirectory { get; private set; } = "";
        public string ResultPath { get; private set; } = "";

        /// <summary>The whole run is cancelled after this long, so a worker always ends by itself.</summary>
        public TimeSpan Deadline { get; private set; } = TimeSpan.FromMinutes(30);

        public static WorkerArguments Parse(string[] args)
        {
            var result = new WorkerArguments();
            for (var i = 0; i < args.Length; i++)
            {
                var name = args[i];
                if (i + 1 >= args.Length) throw new ArgumentException($"{name} needs a value.");
                var value = args[++i];
                switch (name)
                {
                    case "--client": result.Client = value; break;
                    case "--base-uri": result.BaseUri = new Uri(value); break;
                    case "--key": result.Key = value; break;
                    case "--count": result.Count = Int(value); break;
                    case "--phases": result.Phases = value.Split(',').Select(Int).ToList(); break;
                    case "--first-index": result.FirstIndex = Int(value); break;
                    case "--start-at-unix-ms": result.StartAt = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture)); break;
                    case "--throttle": result.Throttle = Int(value); break;
                    case "--lanes": result.Lanes = Int(value); break;
                    case "--model": result.Model = value; break;
                    case "--warmup-model": result.WarmUpModel = value; break;
                    case "--arrival-interval-ms": result.ArrivalInterval = TimeSpan.FromMilliseconds(Int(value)); break;
                    case "--output-dir": result.OutputDirectory = value; break;
                    case "--result": result.ResultPath = value; break;
                    case "--deadline-s": result.Deadline = TimeSpan.FromSeconds(Int(value)); break;
                    default: throw new ArgumentException($"Unknown option '{name}'.");
                }
            }

            if (result.Client is not ("ours" or "baseline")) throw new ArgumentException("--client must be 'ours' or 'baseline'.");
            if (result.BaseUri is null || result.Key.Length == 0 || result.OutputDirectory.Length == 0 || result.ResultPath.Length == 0)
            {
                throw new ArgumentException("--base-uri, --key, --output-dir and --result are required.");
            }
            if (result.WarmUpModel == result.Model) throw new ArgumentException("--warmup-model must differ from --model.");
            if (result.Phases.Count == 0) result.Phases = new[] { result.Count };
            else if (result.Count == 0) result.Count = result.Phases.Sum();
            if (result.Phases.Sum() != result.Count || result.Phases.Any(p => p < 1)) throw new ArgumentException("--phases must be counts of at least 1 that add up to --count.");
            if (result.Count < 1 || result.Throttle < 1 || result.Lanes < 1) throw new ArgumentException("--count, --throttle and --lanes must be at least 1.");
            return result;
        }

        private static int Int(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
