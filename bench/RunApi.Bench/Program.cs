// The benchmark harness: our client core vs. an SDK-like baseline, side by side, plus cold Import-Module time.
// See bench/README.md for what each figure means and how the measurement is set up.
using RunApi.Bench.Import;
using RunApi.Bench.Options;
using RunApi.Bench.Pipelines;
using RunApi.Bench.Reporting;
using RunApi.Bench.Running;
using RunApi.Bench.Scenarios;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

if (options.Help)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

if (options.List)
{
    foreach (var preset in Presets.All) Console.WriteLine($"{options.Apply(preset).Describe()}\n    {preset.Purpose}; duration: {preset.ExpectedDuration}");
    Console.WriteLine($"import: cold Import-Module of out/RunApi/RunApi.psd1, {options.ImportRuns} fresh processes (+ as many for the control); duration: ~15 s");
    Console.WriteLine($"import-pwsh: cold pwsh -NoProfile -c 'Import-Module RunApi', {options.ImportRuns} fresh pwsh (+ as many with an empty module); duration: ~15 s");
    Console.WriteLine($"Default run: {string.Join(", ", Presets.DefaultRun)}");
    return 0;
}

var header = ReportHeader.Render(args);
Console.WriteLine(header);
Console.WriteLine();

var rows = new List<Row>();
var described = new List<string>();
var failed = false;
foreach (var name in options.Scenarios)
{
    try
    {
        if (name == ImportRows.Scenario)
        {
            var manifest = Path.Combine(options.ImportModule ?? Path.GetDirectoryName(BenchPaths.ModuleManifest)!, "RunApi.psd1");
            var imports = await ImportBenchmark.RunAsync(manifest, options.ImportRuns, Console.Error);
            described.Add($"import: {options.ImportRuns} fresh processes each for {manifest} and for an empty manifest module, alternately");
            rows.AddRange(ImportRows.For(imports));
        }
        else if (name == PwshImportBenchmark.Scenario)
        {
            var folder = options.ImportModule ?? Path.GetDirectoryName(BenchPaths.ModuleManifest)!;
            var imports = await PwshImportBenchmark.RunAsync(folder, options.ImportRuns, Console.Error);
            described.Add($"import-pwsh: {options.ImportRuns} cold pwsh processes each for {folder} and for an empty manifest module, alternately, both by name through PSModulePath");
            rows.AddRange(PwshImportRows.For(imports));
        }
        else if (name is ResumeBenchmark.Resume or ResumeBenchmark.Overhead)
        {
            rows.AddRange(await ResumeBenchmark.RunAsync(name, options.Seed, Console.Error));
            described.Add(ResumeBenchmark.Describe(name));
        }
        else if (PipelineBenchmark.Names.Contains(name))
        {
            rows.AddRange(await PipelineBenchmark.RunAsync(name, options.Seed, Console.Error));
            described.Add(PipelineBenchmark.Describe(name));
        }
        else
        {
            var scenario = options.Apply(Presets.Find(name)!);
            var result = await ScenarioRunner.RunAsync(scenario, options.Seed, Console.Error);
            described.Add(scenario.Describe());
            rows.AddRange(ScenarioRows.For(result));
        }
    }
    catch (Exception ex) when (ex is InvalidOperationException or IOException or InvalidDataException)
    {
        // One broken scenario (e.g. the module is mid-rebuild) should not cost the others' results.
        failed = true;
        Console.Error.WriteLine($"[{name}] not measured: {ex.Message}");
        rows.Add(new Row(name, "error", "not measured: " + ex.Message.ReplaceLineEndings(" ").Replace('|', '/'), Format.None, Format.None, Format.None));
    }
}

var report = $"""
    {header}

    Scenarios:
    {string.Join(Environment.NewLine, described.Select(d => "- " + d))}

    {MarkdownTable.Legend}

    {MarkdownTable.Render(rows)}
    """;
Console.WriteLine(report[(header.Length + 2)..]);
if (options.MarkdownPath is { } path) await File.WriteAllTextAsync(path, report);
return failed ? 1 : 0;
