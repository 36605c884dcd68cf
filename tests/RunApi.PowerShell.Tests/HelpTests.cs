using System.Management.Automation;
using System.Xml.Linq;
using RunApi.Help;
using RunApi.PowerShell.Tests.Support;

namespace RunApi.PowerShell.Tests;

/// <summary>
/// The help users get from Get-Help: read on the real engine from the laid-out module, and held to the cmdlets' real
/// parameters and to docs/, the markdown it is generated from.
/// </summary>
public class HelpTests
{
    private const string MamlFileName = "RunApi.PowerShell.dll-Help.xml";
    private static readonly string RepoRoot = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(ModuleSession.ModuleManifest)!, "..", ".."));
    private static readonly string DocsFolder = Path.Combine(RepoRoot, "docs");
    private static readonly string CommittedHelpFolder = Path.Combine(RepoRoot, "src", "RunApi.PowerShell", "en-US");
    private static readonly string ShippedHelpFolder = Path.Combine(Path.GetDirectoryName(ModuleSession.ModuleManifest)!, "en-US");

    [Fact]
    public async Task Get_Help_describes_every_parameter_of_every_cmdlet()
    {
        await using var session = await ModuleSession.StartAsync(configureDefaults: false);
        var result = session.Run("""
            $common = [System.Management.Automation.PSCmdlet]::CommonParameters
            foreach ($command in Get-Command -Module RunApi) {
                # One Get-Help per cmdlet (its parameters are those of Get-Help -Parameter): it reads the help each time.
                $described = @{}
                foreach ($entry in (Get-Help $command.Name -Full).parameters.parameter) { $described[$entry.name] = $entry }
                foreach ($name in $command.Parameters.Keys) {
                    if ($common -contains $name) { continue }
                    $help = $described[$name]
                    $text = if ($help) { ($help.description | ForEach-Object { $_.Text }) -join ' ' } else { '' }
                    [pscustomobject]@{ Command = $command.Name; Parameter = $name; Text = "$text".Trim() }
                }
            }
            """);

        var parameters = result.Output.Select(o => (Command: o.Get<string>("Command"), Parameter: o.Get<string>("Parameter"), Text: (string?)o.Raw("Text") ?? "")).ToList();
        Assert.Contains(parameters, p => p is { Command: "New-ImagenImage", Parameter: "Prompt" });
        Assert.Contains(parameters, p => p is { Command: "Save-ImagenImage", Parameter: "WhatIf" });
        var undocumented = parameters.Where(p => p.Text.Length == 0).Select(p => $"{p.Command} -{p.Parameter}").ToList();
        Assert.True(undocumented.Count == 0, "Get-Help has no description for: " + string.Join(", ", undocumented) +
                                             ". Describe them in docs/ and run build.ps1 -Task Docs (or dotnet run --project tools/RunApi.HelpGen).");
    }

    [Fact]
    public async Task Get_Help_shows_at_least_three_examples_with_code_for_every_cmdlet()
    {
        await using var session = await ModuleSession.StartAsync(configureDefaults: false);
        var result = session.Run("""
            foreach ($command in Get-Command -Module RunApi) {
                $examples = @((Get-Help $command.Name -Examples).examples.example)
                $withCode = @($examples | Where-Object { "$($_.code)".Trim().Length -gt 0 })
                [pscustomobject]@{ Command = $command.Name; Count = $withCode.Count }
            }
            """);

        Assert.Equal(11, result.Output.Count);
        Assert.All(result.Output, o => Assert.True(o.Get<int>("Count") >= 3, $"{o.Get<string>("Command")} has {o.Get<int>("Count")} examples with code"));
    }

    [Fact]
    public async Task Get_Help_reads_the_MAML_shipped_beside_the_cmdlets_assembly()
    {
        await using var session = await ModuleSession.StartAsync(configureDefaults: false);
        var helpFiles = session.Run("Get-Command -Module RunApi | ForEach-Object { [System.IO.Path]::GetFileName($_.HelpFile) }").Output.Select(o => o.ToString()).Distinct();
        Assert.Equal(MamlFileName, Assert.Single(helpFiles));

        // dotnet build ships the committed file as it is.
        Assert.Equal(File.ReadAllBytes(Path.Combine(CommittedHelpFolder, MamlFileName)), File.ReadAllBytes(Path.Combine(ShippedHelpFolder, MamlFileName)));
        Assert.Equal(File.ReadAllBytes(Path.Combine(CommittedHelpFolder, "about_RunApi.help.txt")), File.ReadAllBytes(Path.Combine(ShippedHelpFolder, "about_RunApi.help.txt")));

        // Without the MAML, Get-Help would make up a synopsis from the syntax; with it, the synopsis is the page's.
        var help = Assert.Single(session.Run("Get-Help New-ImagenImage -Full").Output);
        var page = DocsPages().Single(p => p.Name == "New-ImagenImage");
        Assert.Equal(HelpText.Flatten(page.Synopsis), HelpText.Normalize(help.Get<string>("Synopsis")));
        var syntaxItems = Assert.Single(session.Run("@((Get-Help New-ImagenImage).syntax.syntaxItem).Count").Output);
        Assert.Equal(3, (int)syntaxItems.BaseObject);
    }

    [Fact]
    public async Task Get_Help_about_RunApi_shows_the_topic_written_in_docs()
    {
        await using var session = await ModuleSession.StartAsync(configureDefaults: false);
        var result = session.Run("Get-Help about_RunApi");
        Assert.Empty(result.Errors);
        var text = HelpText.Normalize(string.Join("\n", result.Output.Select(o => o.ToString()))).ToLowerInvariant();

        Assert.Contains("about_runapi", text);
        foreach (var fact in new[] { "runapi_api_key", "runapi_key", "runapi_base_url", "imagen-4-pro-remix-image", "retry-after", "idempotency-key", "-whatif", "runapitasktimeout" })
        {
            Assert.Contains(fact, text);
        }
        // Every heading, paragraph, list item and code line of the page is in the topic, whatever the line wrapping.
        var document = MarkdownDocument.Load(Path.Combine(DocsFolder, "about_RunApi.md"));
        foreach (var node in document.Nodes.Skip(1))
        {
            var pieces = node.IsHeading ? new[] { node.Heading } : node.Block!.Kind == BlockKind.Code ? node.Block.Text.Split('\n') : new[] { node.Block.Text };
            foreach (var piece in pieces.Select(p => HelpText.Normalize(p).ToLowerInvariant()).Where(p => p.Length > 0))
            {
                Assert.True(text.Contains(piece), $"about_RunApi.help.txt lacks: {piece}");
            }
        }
    }

    [Fact]
    public async Task Docs_describe_exactly_the_real_parameters_parameter_sets_and_attributes_of_every_cmdlet()
    {
        await using var session = await ModuleSession.StartAsync(configureDefaults: false);
        var result = session.Run("""
            $common = [System.Management.Automation.PSCmdlet]::CommonParameters
            foreach ($command in Get-Command -Module RunApi) {
                foreach ($set in $command.ParameterSets) {
                    foreach ($p in $set.Parameters) {
                        if ($common -contains $p.Name) { continue }
                        [pscustomobject]@{
                            Command = $command.Name; Set = $set.Name; IsDefault = $set.IsDefault; SetCount = $command.ParameterSets.Count
                            Parameter = $p.Name; Type = $p.ParameterType; Required = $p.IsMandatory; Position = $p.Position
                            ByValue = $p.ValueFromPipeline; ByPropertyName = $p.ValueFromPipelineByPropertyName
                            Aliases = @($p.Aliases) -join ', '
                            Wildcards = @($p.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }).Count -gt 0
                            Accepted = @($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | ForEach-Object { $_.ValidValues }) -join ', '
                        }
                    }
                }
            }
            """);
        Assert.Empty(result.Errors);
        var real = result.Output.Select(RealParameter.From).ToList();
        var pages = DocsPages().ToDictionary(p => p.Name);
        var problems = new List<string>();

        var commands = real.Select(r => r.Command).Distinct().OrderBy(c => c).ToList();
        Assert.Equal(commands, pages.Keys.OrderBy(c => c));

        foreach (var command in commands)
        {
            var page = pages[command];
            var mine = real.Where(r => r.Command == command).ToList();
            var names = mine.Select(r => r.Parameter).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            problems.AddRange(names.Where(n => page.Parameter(n) is null).Select(n => $"{command}: -{n} is not described in docs/{command}.md"));
            problems.AddRange(page.Parameters.Where(p => !names.Contains(p.Name, StringComparer.OrdinalIgnoreCase)).Select(p => $"{command}: docs describe -{p.Name}, which the cmdlet does not have"));

            var sets = mine.GroupBy(r => r.Set).ToList();
            foreach (var set in sets)
            {
                var setName = set.Key == "__AllParameterSets" ? "(All)" : set.Key;
                var syntax = page.Syntax.FirstOrDefault(s => s.ParameterSet == setName);
                if (syntax is null)
                {
                    problems.Add($"{command}: SYNTAX has no block for the parameter set {setName}");
                }
                else
                {
                    if (syntax.IsDefault != set.First().IsDefault) problems.Add($"{command}: the default parameter set is marked wrongly in SYNTAX ({setName})");
                    var documented = syntax.ParameterNames.OrderBy(n => n, StringComparer.OrdinalIgnoreCase);
                    var actual = set.Select(r => r.Parameter).OrderBy(n => n, StringComparer.OrdinalIgnoreCase);
                    if (!documented.SequenceEqual(actual, StringComparer.OrdinalIgnoreCase))
                    {
                        problems.Add($"{command} {setName}: SYNTAX lists {string.Join(" ", documented)}; the cmdlet has {string.Join(" ", actual)}");
                    }
                }

                foreach (var parameter in set)
                {
                    var entry = page.Parameter(parameter.Parameter);
                    if (entry is null) continue;
                    var facts = entry.Facts.FirstOrDefault(f => f.AppliesTo(setName));
                    if (facts is null)
                    {
                        problems.Add($"{command} -{parameter.Parameter}: no yaml block applies to the parameter set {setName}");
                        continue;
                    }
                    problems.AddRange(parameter.Differences(facts).Select(d => $"{command} -{parameter.Parameter} ({setName}): {d}"));
                }
            }
            problems.AddRange(page.Syntax.Where(s => !sets.Any(g => (g.Key == "__AllParameterSets" ? "(All)" : g.Key) == s.ParameterSet))
                .Select(s => $"{command}: SYNTAX has a block for {s.ParameterSet}, which is not a parameter set of the cmdlet"));

            foreach (var byName in mine.GroupBy(r => r.Parameter))
            {
                var entry = page.Parameter(byName.Key);
                if (entry is null) continue;
                var inAll = byName.Count() == byName.First().SetCount;
                var documentedSets = entry.Facts.SelectMany(f => f.ParameterSets).OrderBy(s => s).ToList();
                var expectedSets = inAll ? new List<string> { "(All)" } : byName.Select(r => r.Set).OrderBy(s => s).ToList();
                if (!documentedSets.SequenceEqual(expectedSets))
                {
                    problems.Add($"{command} -{byName.Key}: 'Parameter Sets' says {string.Join(", ", documentedSets)}; the cmdlet has {string.Join(", ", expectedSets)}");
                }
            }
        }

        Assert.True(problems.Count == 0, "docs/ does not match the cmdlets:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void Docs_and_the_MAML_hold_the_same_cmdlets_parameters_synopses_descriptions_and_examples()
    {
        var pages = DocsPages().ToDictionary(p => p.Name);
        var maml = MamlCommand.Load(Path.Combine(CommittedHelpFolder, MamlFileName)).ToDictionary(c => c.Name);
        var stale = new List<string>();

        Assert.Equal(pages.Keys.OrderBy(n => n), maml.Keys.OrderBy(n => n));
        foreach (var (name, page) in pages)
        {
            var help = maml[name];
            void Same(string what, string expected, string actual)
            {
                if (expected != actual) stale.Add($"{name} {what}:\n  docs: {expected}\n  MAML: {actual}");
            }

            Same("synopsis", HelpText.Flatten(page.Synopsis), help.Synopsis);
            Same("description", HelpText.Flatten(page.Description), help.Description);
            Same("parameters", string.Join(" ", page.Parameters.Select(p => p.Name).OrderBy(n => n)), string.Join(" ", help.Parameters.Keys.OrderBy(n => n)));
            foreach (var parameter in page.Parameters)
            {
                Same($"-{parameter.Name}", HelpText.Flatten(parameter.Description), help.Parameters.GetValueOrDefault(parameter.Name, "(missing)"));
            }
            Same("example count", page.Examples.Count.ToString(), help.Examples.Count.ToString());
            foreach (var (example, index) in page.Examples.Zip(help.Examples).Select((pair, i) => (pair, i + 1)))
            {
                Same($"example {index} code", Code(example.First.Code), Code(example.Second.Code));
                Same($"example {index} remarks", HelpText.Flatten(example.First.Remarks), example.Second.Remarks);
            }
            Same("inputs", string.Join(", ", page.Inputs.Select(i => i.TypeName)), string.Join(", ", help.Inputs));
            Same("outputs", string.Join(", ", page.Outputs.Select(o => o.TypeName)), string.Join(", ", help.Outputs));
        }

        Assert.True(stale.Count == 0, $"{MamlFileName} is out of date with docs/ (run build.ps1 -Task Docs):\n" + string.Join("\n", stale));
    }

    private static IEnumerable<CommandPage> DocsPages() =>
        Directory.GetFiles(DocsFolder, "*.md")
            .Select(path => MarkdownDocument.Load(path))
            .Where(CommandPage.IsCommandPage)
            .Select(CommandPage.From);

    private static string Code(string code) => code.Replace("\r\n", "\n").Trim();

    /// <summary>One parameter of one parameter set, as the engine reports it.</summary>
    private sealed record RealParameter(string Command, string Set, bool IsDefault, int SetCount, string Parameter, Type Type, bool Required,
        int Position, bool ByValue, bool ByPropertyName, string Aliases, bool Wildcards, string Accepted)
    {
        public static RealParameter From(PSObject o) => new(
            o.Get<string>("Command"), o.Get<string>("Set"), o.Get<bool>("IsDefault"), o.Get<int>("SetCount"), o.Get<string>("Parameter"),
            o.Get<Type>("Type"), o.Get<bool>("Required"), o.Get<int>("Position"), o.Get<bool>("ByValue"), o.Get<bool>("ByPropertyName"),
            (string?)o.Raw("Aliases") ?? "", o.Get<bool>("Wildcards"), (string?)o.Raw("Accepted") ?? "");

        public IEnumerable<string> Differences(ParameterFacts facts)
        {
            var type = TypeName(Type);
            if (facts.Type != type) yield return $"Type is {facts.Type}, should be {type}";
            if (facts.Required != Required) yield return $"Required is {facts.Required}, should be {Required}";
            var position = Position == int.MinValue ? "Named" : Position.ToString();
            if (facts.Position != position) yield return $"Position is {facts.Position}, should be {position}";
            var pipeline = (ByPropertyName, ByValue) switch
            {
                (true, true) => "True (ByPropertyName, ByValue)",
                (true, false) => "True (ByPropertyName)",
                (false, true) => "True (ByValue)",
                _ => "False",
            };
            if (facts.PipelineInput != pipeline) yield return $"Accept pipeline input is {facts.PipelineInput}, should be {pipeline}";
            if (string.Join(", ", facts.Aliases) != Aliases) yield return $"Aliases are '{string.Join(", ", facts.Aliases)}', should be '{Aliases}'";
            if (facts.AcceptsWildcards != Wildcards) yield return $"Accept wildcard characters is {facts.AcceptsWildcards}, should be {Wildcards}";
            if (string.Join(", ", facts.AcceptedValues) != Accepted) yield return $"Accepted values are '{string.Join(", ", facts.AcceptedValues)}', should be '{Accepted}'";
        }

        /// <summary>The short name platyPS writes: Int64 for long?, String[] for string[].</summary>
        private static string TypeName(Type type)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            return type.IsArray ? TypeName(type.GetElementType()!) + "[]" : type.Name;
        }
    }

    /// <summary>A command of a MAML file, read as plain XML: the text Get-Help shows, whitespace normalised.</summary>
    private sealed record MamlCommand(string Name, string Synopsis, string Description, IReadOnlyDictionary<string, string> Parameters,
        IReadOnlyList<(string Code, string Remarks)> Examples, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs)
    {
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        public static IEnumerable<MamlCommand> Load(string path) =>
            XDocument.Load(path).Root!.Elements(Command + "command").Select(c =>
            {
                var details = c.Element(Command + "details")!;
                return new MamlCommand(
                    details.Element(Command + "name")!.Value.Trim(),
                    Paras(details.Element(Maml + "description")),
                    Paras(c.Element(Maml + "description")),
                    (c.Element(Command + "parameters")?.Elements(Command + "parameter") ?? Enumerable.Empty<XElement>())
                        .ToDictionary(p => p.Element(Maml + "name")!.Value.Trim(), p => Paras(DescriptionOf(p)), StringComparer.OrdinalIgnoreCase),
                    (c.Element(Command + "examples")?.Elements(Command + "example") ?? Enumerable.Empty<XElement>())
                        .Select(e => (e.Element(Dev + "code")?.Value ?? "", Paras(e.Element(Dev + "remarks")))).ToList(),
                    TypeNames(c, "inputTypes", "inputType"),
                    TypeNames(c, "returnValues", "returnValue"));
            }).ToList();

        private static string Paras(XElement? element) =>
            HelpText.Flatten(element?.Elements(Maml + "para").Select(p => p.Value) ?? Enumerable.Empty<string>());

        // platyPS has written both maml:description and maml:Description for parameters.
        private static XElement? DescriptionOf(XElement parameter) =>
            parameter.Elements().FirstOrDefault(e => e.Name.Namespace == Maml && string.Equals(e.Name.LocalName, "description", StringComparison.OrdinalIgnoreCase));

        private static IReadOnlyList<string> TypeNames(XElement command, string list, string item) =>
            (command.Element(Command + list)?.Elements(Command + item) ?? Enumerable.Empty<XElement>())
                .Select(i => i.Element(Dev + "type")?.Element(Maml + "name")?.Value.Trim() ?? "").ToList();
    }
}
