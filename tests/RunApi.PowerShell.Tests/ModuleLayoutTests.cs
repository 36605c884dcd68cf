using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using RunApi.PowerShell.Tests.Support;

namespace RunApi.PowerShell.Tests;

/// <summary>
/// The shipped folder loads in every supported PowerShell: all modules of a process share one load context, so a
/// reference above what PowerShell 7.4 (.NET 8) ships would fail to bind there.
/// </summary>
public class ModuleLayoutTests
{
    private static readonly string ModuleFolder = Path.GetDirectoryName(ModuleSession.ModuleManifest)!;

    private static IEnumerable<(string Name, Version Version)> ReferencesOf(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var reader = new PEReader(stream);
        var metadata = reader.GetMetadataReader();
        return metadata.AssemblyReferences
            .Select(handle => metadata.GetAssemblyReference(handle))
            .Select(reference => (metadata.GetString(reference.Name), reference.Version))
            .ToList();
    }

    private static (string Name, Version Version) IdentityOf(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var reader = new PEReader(stream);
        var metadata = reader.GetMetadataReader();
        var definition = metadata.GetAssemblyDefinition();
        return (metadata.GetString(definition.Name), definition.Version);
    }

    [Theory]
    [InlineData("RunApi.Client.dll")]
    [InlineData("RunApi.PowerShell.dll")]
    public void The_module_assemblies_target_netstandard_and_reference_System_Text_Json_8_at_most(string file)
    {
        var references = ReferencesOf(Path.Combine(ModuleFolder, file)).ToList();
        Assert.Contains(references, r => r.Name == "netstandard");
        Assert.All(references.Where(r => r.Name == "System.Text.Json"), r => Assert.True(r.Version.Major <= 8, $"{file} references System.Text.Json {r.Version}"));
    }

    [Fact]
    public void The_shipped_System_Text_Json_is_the_8_0_copy_for_Windows_PowerShell()
    {
        Assert.Equal(8, IdentityOf(Path.Combine(ModuleFolder, "System.Text.Json.dll")).Version.Major);
    }

    [Fact]
    public void The_engine_is_not_shipped_with_the_module()
    {
        Assert.False(File.Exists(Path.Combine(ModuleFolder, "System.Management.Automation.dll")));
        Assert.True(File.Exists(Path.Combine(ModuleFolder, "RunApi.Format.ps1xml")));
    }
}
