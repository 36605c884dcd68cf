using System;
using System.IO;
using System.Management.Automation;
using System.Net;
using System.Threading;

namespace RunApi.PowerShell.Loading
{
    /// <summary>
    /// Makes the module's dependencies loadable, once per process. PowerShell runs it on import, after reading the
    /// assembly's public types and before anything else: so no public type may have a client or package type among its
    /// base types or interfaces (AsyncCmdlet hands the batch a nested object for that reason), or the import fails.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer
    {
        private static int _initialized;

        public void OnImport()
        {
            // Import-Module -Force and other runspaces import the assembly again; the process keeps one resolver.
            if (Interlocked.Exchange(ref _initialized, 1) == 1) return;
            var folder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;
#if NETFRAMEWORK
            AppDomain.CurrentDomain.AssemblyResolve += new ModuleFolderResolver(folder).Resolve;
            // .NET Framework offers only what the OS and its config default to, which can leave out TLS 1.2.
            ServicePointManager.SecurityProtocol |= SecurityProtocolType.Tls12;
#else
            var dependencies = new DependencyLoadContext(Path.Combine(folder, "dependencies"));
            System.Runtime.Loader.AssemblyLoadContext.Default.Resolving += dependencies.ResolveForDefault;
#endif
        }
    }
}
