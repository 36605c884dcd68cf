using System;
using System.IO;
using System.Reflection;

namespace RunApi.PowerShell.Loading
{
    /// <summary>
    /// Finds an assembly the module ships by its simple name alone, whatever version was asked for. Windows PowerShell
    /// applies no binding redirects to a module, and the dependencies shipped for it ask for versions of each other
    /// that differ from the copies that ship together (System.Memory asks for System.Runtime.CompilerServices.Unsafe
    /// 4.0.4.1, and 6.0.0.0 ships): without this, .NET Framework fails such a bind with a FileLoadException.
    /// </summary>
    internal sealed class ModuleFolderResolver
    {
        private static readonly char[] NotInAName = Path.GetInvalidFileNameChars();
        private readonly string _folder;
        private readonly Func<string, Assembly> _load;

        /// <param name="folder">The folder of the module's assemblies.</param>
        /// <param name="load">How a file is loaded: <see cref="Assembly.LoadFrom(string)"/>, or a stand-in in tests.</param>
        public ModuleFolderResolver(string folder, Func<string, Assembly>? load = null)
        {
            _folder = folder;
            _load = load ?? Assembly.LoadFrom;
        }

        /// <summary>The module's own file of that simple name, or null for an assembly the module does not ship.</summary>
        public string? PathFor(AssemblyName requested)
        {
            var name = requested.Name;
            // A name is never a path: nothing outside the folder is loaded.
            if (string.IsNullOrEmpty(name) || name!.IndexOfAny(NotInAName) >= 0) return null;
            var path = Path.Combine(_folder, name + ".dll");
            return File.Exists(path) ? path : null;
        }

        /// <summary>An <see cref="AppDomain.AssemblyResolve"/> handler.</summary>
        public Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            var path = PathFor(new AssemblyName(args.Name));
            return path is null ? null : _load(path);
        }
    }
}
