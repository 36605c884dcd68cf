using System.Reflection;
using RunApi.PowerShell.Loading;

namespace RunApi.PowerShell.Tests;

/// <summary>The resolver that stands in for binding redirects in Windows PowerShell (installed on import there).</summary>
public sealed class ModuleFolderResolverTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("runapi-resolver-").FullName;
    private readonly List<string> _loaded = [];
    private readonly Assembly _stand_in = typeof(ModuleFolderResolverTests).Assembly;

    public ModuleFolderResolverTests()
    {
        File.WriteAllText(Path.Combine(_folder, "System.Runtime.CompilerServices.Unsafe.dll"), "");
    }

    private ModuleFolderResolver Resolver => new(_folder, path => { _loaded.Add(path); return _stand_in; });

    [Fact]
    public void A_shipped_assembly_is_loaded_from_the_module_folder_for_any_version_asked_for()
    {
        var asked = "System.Runtime.CompilerServices.Unsafe, Version=4.0.4.1, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a";

        var resolved = Resolver.Resolve(null, new ResolveEventArgs(asked));

        Assert.Same(_stand_in, resolved);
        Assert.Equal([Path.Combine(_folder, "System.Runtime.CompilerServices.Unsafe.dll")], _loaded);
    }

    [Fact]
    public void An_assembly_the_module_does_not_ship_is_left_to_other_handlers()
    {
        Assert.Null(Resolver.Resolve(null, new ResolveEventArgs("Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed")));
        Assert.Null(Resolver.Resolve(null, new ResolveEventArgs("System.Runtime.CompilerServices.Unsafe.resources, Version=6.0.0.0, Culture=de-DE, PublicKeyToken=b03f5f7f11d50a3a")));
        Assert.Empty(_loaded);
    }

    [Fact]
    public void A_name_that_is_a_path_loads_nothing_outside_the_folder()
    {
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(_folder)!, Path.GetFileName(_folder) + "-outside.dll"), "");

        Assert.Null(Resolver.PathFor(new AssemblyName { Name = "../" + Path.GetFileName(_folder) + "-outside" }));
        Assert.Empty(_loaded);
    }

    public void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
        File.Delete(_folder + "-outside.dll");
    }
}
