using System.Management.Automation;
using RunApi.PowerShell.Tests.Support;

namespace RunApi.PowerShell.Tests;

/// <summary>The laid-out module is what users get: a valid manifest that exports exactly the compiled cmdlets.</summary>
public class ModuleManifestTests
{
    [Fact]
    public async Task The_manifest_passes_Test_ModuleManifest_for_both_editions_from_PowerShell_5_1()
    {
        await using var session = await ModuleSession.StartAsync(configureDefaults: false);
        var manifest = session.Run($"Test-ModuleManifest -Path '{ModuleSession.ModuleManifest}'");

        Assert.Empty(manifest.Errors);
        var module = Assert.IsType<PSModuleInfo>(Assert.Single(manifest.Output).BaseObject);
        Assert.Equal(new[] { "Core", "Desktop" }, module.CompatiblePSEditions.OrderBy(e => e));
        Assert.Equal(new Version(5, 1), module.PowerShellVersion);
    }

    [Fact]
    public async Task Every_compiled_cmdlet_is_exported_by_name_and_nothing_else()
    {
        await using var session = await ModuleSession.StartAsync(configureDefaults: false);
        var exported = session.Run("(Get-Command -Module RunApi).Name").Output.Select(o => o.ToString()).OrderBy(n => n);
        var compiled = session.Run("(Get-Command New-ImagenImage).ImplementingType.Assembly.GetTypes() | " +
                                   "ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } | " +
                                   "ForEach-Object { $_.VerbName + '-' + $_.NounName }").Output.Select(o => o.ToString()).OrderBy(n => n);
        var listedNames = ManifestCmdlets().OrderBy(n => n);

        Assert.Equal(compiled, exported);
        Assert.Equal(compiled, listedNames);
        Assert.Contains("New-ImagenImage", exported);
    }

    [Fact]
    public async Task Every_cmdlet_declares_its_output_type()
    {
        await using var session = await ModuleSession.StartAsync(configureDefaults: false);
        var missing = session.Run("Get-Command -Module RunApi | Where-Object { $_.OutputType.Count -eq 0 } | ForEach-Object Name");
        Assert.Empty(missing.Output);
    }

    [Fact]
    public void Every_exported_cmdlet_has_its_PSCommand_tag_so_that_Find_PSResource_CommandName_finds_the_module()
    {
        var text = File.ReadAllText(ModuleSession.ModuleManifest);
        var tags = System.Text.RegularExpressions.Regex.Matches(text, @"'PSCommand_([A-Za-z-]+)'").Select(m => m.Groups[1].Value);

        Assert.Equal(ManifestCmdlets().OrderBy(n => n), tags.OrderBy(n => n));
    }

    /// <summary>Import-PowerShellDataFile lives in a module the hosted engine lacks: read the list from the file.</summary>
    private static IEnumerable<string> ManifestCmdlets()
    {
        var text = File.ReadAllText(ModuleSession.ModuleManifest);
        var block = text[text.IndexOf("CmdletsToExport", StringComparison.Ordinal)..];
        block = block[(block.IndexOf('(') + 1)..block.IndexOf(')')];
        return block.Split('\n').Select(l => l.Trim().Trim('\'', ',')).Where(l => l.Length > 0);
    }
}
