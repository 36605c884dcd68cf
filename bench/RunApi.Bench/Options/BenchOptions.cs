using System.Globalization;
using RunApi.Bench.Scenarios;

namespace RunApi.Bench.Options;

/// <summary>The bench's command line. Settings given here override every selected preset.</summary>
public sealed class BenchOptions
{
    public const string Usage = """
        Usage: dotnet run -c Release --project bench/RunApi.Bench -- [options]

          --scenario LIST      comma-separated: arrivals-8-12s, fast-4-8s, throughput, memory, rate-limited,
                               rate-limited-3-processes, shift, shift-reverse, custom, import;
                               pipeline-batch, pipeline-throughput, pipeline-memory, pipeline-limits (real pwsh;
                               'pipelines' for all four); pipeline-resume, pipeline-journal-overhead ('journal'
                               for both); import-pwsh (cold Import-Module in real pwsh); 'default'
                               (arrivals-8-12s,fast-4-8s,import) or 'all' (every client preset, import, import-pwsh)
          --n N                prompts for our client (not for the phased presets shift and shift-reverse, nor
                               --baseline-n, --baseline-lanes and --generation)
          --baseline-n N       prompts for the sequential baseline (its wall time is extrapolated to N)
          --baseline-lanes L   independent sequential baseline loops sharing those prompts (1: strictly one at a time)
          --throttle T         our client's concurrency limit (default 32)
          --generation S       generation time in seconds: fixed (3) or a range (8-12)
          --image-bytes B      pad each generated PNG to about B bytes (0: small natural PNG)
          --arrivals A         'all' (all at once) or a rate such as '2/s'
          --model M            imagen-4, imagen-4-fast or imagen-4-ultra (default imagen-4)
          --seed S             simulator seed for ids and generation-time draws (default 1)
          --import-runs K      fresh processes per import measurement (default 7)
          --import-module DIR  the RunApi module folder the import scenarios time (default out/RunApi), e.g. another build
          --markdown FILE      also write the report to FILE
          --list               list the presets with their settings and durations
          --help               show this text
        """;

    public IReadOnlyList<string> Scenarios { get; private set; } = Presets.DefaultRun;
    public int? Count { get; private set; }
    public int? BaselineCount { get; private set; }
    public int? BaselineLanes { get; private set; }
    public int? Throttle { get; private set; }
    public GenerationRange? Generation { get; private set; }
    public int? ImageBytes { get; private set; }
    public TimeSpan? ArrivalInterval { get; private set; }
    public string? Model { get; private set; }
    public int Seed { get; private set; } = 1;
    public int ImportRuns { get; private set; } = 7;
    public string? ImportModule { get; private set; }
    public string? MarkdownPath { get; private set; }
    public bool List { get; private set; }
    public bool Help { get; private set; }

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Positive() => int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture) is var v and > 0 ? v : throw new ArgumentException($"{args[i]} must be at least 1.");
            switch (args[i])
            {
                case "--scenario": o.Scenarios = ParseScenarios(Value()); break;
                case "--n": o.Count = Positive(); break;
                case "--baseline-n": o.BaselineCount = Positive(); break;
                case "--baseline-lanes": o.BaselineLanes = Positive(); break;
                case "--throttle": o.Throttle = Positive(); break;
                case "--generation": o.Generation = GenerationRange.Parse(Value()); break;
                case "--image-bytes": o.ImageBytes = int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture); break;
                case "--arrivals": o.ArrivalInterval = ParseArrivals(Value()); break;
                case "--model": o.Model = Value(); break;
                case "--seed": o.Seed = int.Parse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture); break;
                case "--import-runs": o.ImportRuns = Positive(); break;
                case "--import-module": o.ImportModule = Value(); break;
                case "--markdown": o.MarkdownPath = Value(); break;
                case "--list": o.List = true; break;
                case "--help" or "-h" or "-?": o.Help = true; break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }
        return o;
    }

    /// <summary>The preset with this command line's settings laid over it.</summary>
    public Scenario Apply(Scenario preset) => preset.Phases is not null ? preset with
    {
        Throttle = Throttle ?? preset.Throttle,
        Model = Model ?? preset.Model,
    } : preset with
    {
        Count = Count ?? preset.Count,
        BaselineCount = BaselineCount ?? preset.BaselineCount,
        BaselineLanes = Math.Min(BaselineLanes ?? preset.BaselineLanes, BaselineCount ?? preset.BaselineCount),
        Throttle = Throttle ?? preset.Throttle,
        Generation = Generation ?? preset.Generation,
        ImageBytes = ImageBytes ?? preset.ImageBytes,
        ArrivalInterval = ArrivalInterval ?? preset.ArrivalInterval,
        Model = Model ?? preset.Model,
    };

    private static IReadOnlyList<string> ParseScenarios(string text)
    {
        var names = new List<string>();
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (name == "default") names.AddRange(Presets.DefaultRun);
            else if (name == "all") names.AddRange(Presets.All.Where(p => p != Presets.Custom).Select(p => p.Name).Append("import").Append(Import.PwshImportBenchmark.Scenario));
            else if (name == "pipelines") names.AddRange(Pipelines.PipelineBenchmark.Names);
            else if (name == "journal") names.AddRange([Pipelines.ResumeBenchmark.Resume, Pipelines.ResumeBenchmark.Overhead]);
            else if (name == "import" || name == Import.PwshImportBenchmark.Scenario || Pipelines.PipelineBenchmark.Names.Contains(name) || name is Pipelines.ResumeBenchmark.Resume or Pipelines.ResumeBenchmark.Overhead
                     || Presets.Find(name) is not null) names.Add(name.ToLowerInvariant());
            else throw new ArgumentException($"Unknown scenario '{name}'. Known: {string.Join(", ", Presets.All.Select(p => p.Name))}, import, import-pwsh.");
        }
        return names.Distinct().ToList();
    }

    /// <summary>"all" → zero; "2/s" → 500 ms between arrivals.</summary>
    private static TimeSpan ParseArrivals(string text)
    {
        if (text.Equals("all", StringComparison.OrdinalIgnoreCase)) return TimeSpan.Zero;
        var rate = text.EndsWith("/s", StringComparison.OrdinalIgnoreCase) ? text[..^2] : text;
        var perSecond = double.Parse(rate, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (perSecond <= 0) throw new ArgumentException("--arrivals needs 'all' or a positive rate such as '2/s'.");
        return TimeSpan.FromSeconds(1 / perSecond);
    }
}
