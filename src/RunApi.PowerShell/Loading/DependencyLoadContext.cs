#if NET
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace RunApi.PowerShell.Loading
{
    /// <summary>
    /// The module's own load context on PowerShell 7 (the pattern of PowerShellEditorServices' PsesLoadContext). All
    /// modules of a PowerShell process share the default context, where the first Polly.Core loaded wins for everyone;
    /// the module's dependencies live in core/dependencies/, where nothing else looks, and load only here. What is
    /// not there (.NET itself, the engine) comes from the default context as usual.
    /// </summary>
    internal sealed class DependencyLoadContext : AssemblyLoadContext
    {
        private readonly string _folder;

        public DependencyLoadContext(string folder)
            : base("RunApi")
        {
            _folder = folder;
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var path = Path.Combine(_folder, assemblyName.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }

        /// <summary>
        /// Hands the cmdlet assembly (in the default context) its dependencies from this context: the default context
        /// raises Resolving for them because it cannot find them.
        /// </summary>
        public Assembly? ResolveForDefault(AssemblyLoadContext defaultContext, AssemblyName assemblyName) =>
            File.Exists(Path.Combine(_folder, assemblyName.Name + ".dll")) ? LoadFromAssemblyName(assemblyName) : null;
    }
}
#endif
