using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using RunApi.PowerShell.Loading;
using RunApi.PowerShell.Tests.Support;

namespace RunApi.PowerShell.Tests;

/// <summary>
/// The shipped folder holds one build per edition, and each binds in its PowerShell: read from the assemblies' metadata,
/// since neither Windows PowerShell nor PowerShell 7.4 runs here. Every reference must be a file shipped beside it, an
/// assembly of that edition's .NET, or the engine; the Desktop set has no binding redirects, so a shipped file of another
/// version than the one asked for counts only because the module's resolver (ModuleFolderResolver) answers it.
/// </summary>
public class ModuleLayoutTests
{
    private static readonly string ModuleFolder = Path.GetDirectoryName(ModuleSession.ModuleManifest)!;
    private static readonly string CoreFolder = Path.Combine(ModuleFolder, "core");
    private static readonly string DesktopFolder = Path.Combine(ModuleFolder, "desktop");

    /// <summary>Supplied by the PowerShell that imports the module.</summary>
    private static readonly string[] Engine = ["System.Management.Automation"];

    [Fact]
    public void Each_edition_has_its_own_build_of_the_cmdlets_and_the_root_module_picks_it()
    {
        Assert.Equal(".NETCoreApp,Version=v8.0", TargetFrameworkOf(Path.Combine(CoreFolder, "RunApi.PowerShell.dll")));
        Assert.Equal(".NETFramework,Version=v4.7.2", TargetFrameworkOf(Path.Combine(DesktopFolder, "RunApi.PowerShell.dll")));
        var rootModule = File.ReadAllText(Path.Combine(ModuleFolder, "RunApi.psm1"));
        Assert.Contains("'core'", rootModule);
        Assert.Contains("'desktop'", rootModule);
    }

    [Fact]
    public void Every_reference_of_the_Desktop_set_is_shipped_at_its_version_in_NET_Framework_4_7_2_or_answered_by_the_resolver()
    {
        var framework = ReferenceAssemblies.NetFramework472();
        var resolver = new ModuleFolderResolver(DesktopFolder, load: _ => throw new InvalidOperationException("not loaded in this test"));
        var problems = new List<string>();
        foreach (var (file, reference) in ReferencesIn(DesktopFolder))
        {
            var shipped = ShippedVersion(DesktopFolder, reference.Name);
            if (shipped == reference.Version) continue;
            if (shipped is not null)
            {
                // Without redirects, only the resolver makes this bind, and only to a version at least as new.
                var answered = resolver.PathFor(new AssemblyName(reference.Name) { Version = reference.Version }) is not null;
                if (answered && shipped > reference.Version) continue;
                problems.Add($"{file} asks for {reference.Name} {reference.Version}; {shipped} ships");
            }
            else if (framework.TryGetValue(reference.Name, out var inFramework) && inFramework >= reference.Version) continue;
            else if (Engine.Contains(reference.Name)) continue;
            else problems.Add($"{file} asks for {reference.Name} {reference.Version}, which is neither shipped nor in .NET Framework 4.7.2");
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void Every_reference_of_the_Core_set_is_shipped_or_in_NET_8_and_nothing_NET_8_has_is_shipped()
    {
        var framework = ReferenceAssemblies.Net8();
        var problems = new List<string>();
        foreach (var (file, reference) in ReferencesIn(CoreFolder))
        {
            // .NET binds a reference to the same or a newer version.
            var available = ShippedVersion(CoreFolder, reference.Name) ?? (framework.TryGetValue(reference.Name, out var v) ? v : null);
            if (available is not null && available >= reference.Version) continue;
            if (Engine.Contains(reference.Name)) continue;
            problems.Add($"{file} asks for {reference.Name} {reference.Version}, which neither ships nor is in .NET 8 at that version");
        }
        problems.AddRange(AssembliesIn(CoreFolder).Select(f => Path.GetFileNameWithoutExtension(f)).Where(framework.ContainsKey)
            .Select(name => $"{name} is shipped, but PowerShell 7.4's .NET 8 has it"));
        Assert.Empty(problems);
    }

    [Fact]
    public void The_engine_is_not_shipped_with_the_module()
    {
        Assert.Empty(Directory.GetFiles(ModuleFolder, "System.Management.Automation.dll", SearchOption.AllDirectories));
        Assert.True(File.Exists(Path.Combine(ModuleFolder, "RunApi.Format.ps1xml")));
    }

    private static IEnumerable<string> AssembliesIn(string folder) => Directory.GetFiles(folder, "*.dll", SearchOption.AllDirectories);

    private static Version? ShippedVersion(string folder, string name) =>
        AssembliesIn(folder).Where(f => Path.GetFileNameWithoutExtension(f) == name).Select(f => IdentityOf(f).Version).FirstOrDefault();

    private static IEnumerable<(string File, (string Name, Version Version) Reference)> ReferencesIn(string folder) =>
        AssembliesIn(folder).SelectMany(file => ReferencesOf(file).Select(r => (Path.GetFileName(file), r)));

    private static IEnumerable<(string Name, Version Version)> ReferencesOf(string assemblyPath)
    {
        using var reader = new PEReader(File.OpenRead(assemblyPath));
        var metadata = reader.GetMetadataReader();
        return metadata.AssemblyReferences
            .Select(handle => metadata.GetAssemblyReference(handle))
            .Select(reference => (metadata.GetString(reference.Name), reference.Version))
            .ToList();
    }

    internal static (string Name, Version Version) IdentityOf(string assemblyPath)
    {
        using var reader = new PEReader(File.OpenRead(assemblyPath));
        var metadata = reader.GetMetadataReader();
        var definition = metadata.GetAssemblyDefinition();
        return (metadata.GetString(definition.Name), definition.Version);
    }

    private static string? TargetFrameworkOf(string assemblyPath)
    {
        using var reader = new PEReader(File.OpenRead(assemblyPath));
        var metadata = reader.GetMetadataReader();
        foreach (var handle in metadata.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = metadata.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference) continue;
            var type = metadata.GetTypeReference((TypeReferenceHandle)metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent);
            if (metadata.GetString(type.Name) != "TargetFrameworkAttribute") continue;
            var blob = metadata.GetBlobReader(attribute.Value);
            blob.ReadUInt16(); // prolog
            return blob.ReadSerializedString();
        }
        return null;
    }

    /// <summary>The reference assemblies of each edition's .NET, as the module's build restored them.</summary>
    private static class ReferenceAssemblies
    {
        public static Dictionary<string, Version> NetFramework472()
        {
            var root = Path.Combine(Metadata("NuGetPackageRoot"), "microsoft.netframework.referenceassemblies.net472");
            var folder = Directory.GetDirectories(root).Select(v => Path.Combine(v, "build", ".NETFramework", "v4.7.2")).First(Directory.Exists);
            return Read(Directory.GetFiles(folder, "*.dll").Concat(Directory.GetFiles(Path.Combine(folder, "Facades"), "*.dll")));
        }

        public static Dictionary<string, Version> Net8()
        {
            // The targeting pack is in the SDK's packs folder where it was installed, else the build restored it.
            var candidates = new[]
            {
                Path.Combine(Metadata("NetCoreTargetingPackRoot"), "Microsoft.NETCore.App.Ref"),
                Path.Combine(Metadata("NuGetPackageRoot"), "microsoft.netcore.app.ref"),
            };
            var folder = candidates.Where(Directory.Exists)
                .SelectMany(Directory.GetDirectories)
                .Where(v => Path.GetFileName(v).StartsWith("8.", StringComparison.Ordinal))
                .Select(v => Path.Combine(v, "ref", "net8.0"))
                .First(Directory.Exists);
            return Read(Directory.GetFiles(folder, "*.dll"));
        }

        private static Dictionary<string, Version> Read(IEnumerable<string> files) =>
            files.Where(IsAssembly).Select(IdentityOf).GroupBy(i => i.Name).ToDictionary(g => g.Key, g => g.Max(i => i.Version)!);

        /// <summary>The .NET Framework pack also holds a few metadata files that are not assemblies.</summary>
        private static bool IsAssembly(string path)
        {
            using var reader = new PEReader(File.OpenRead(path));
            return reader.HasMetadata && reader.GetMetadataReader().IsAssembly;
        }

        private static string Metadata(string key) =>
            typeof(ReferenceAssemblies).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
    }
}
