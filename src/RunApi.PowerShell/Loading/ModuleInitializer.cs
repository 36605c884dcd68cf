using System;
using System.IO;
using System.Management.Automation;
using System.Net;
using System.Threading;

namespace RunApi.PowerShell.Loading
{
    /// <summary>Makes the module's dependencies loadable, once per process, before PowerShell reads the cmdlet types.</summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer
    {
        private static int _prepared;

        /// <summary>
        /// Called by RunApi.psm1 before it imports this assembly: PowerShell reads the cmdlet types, which need the
        /// client core, before it calls <see cref="OnImport"/>.
        /// </summary>
        public static void Prepare()
        {
            // Import-Module -Force and other runspaces import the assembly again; the process keeps one resolver.
            if (Interlocked.Exchange(ref _prepared, 1) == 1) return;
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

        /// <summary>For an import of this assembly by path, without RunApi.psm1.</summary>
        public void OnImport() => Prepare();
    }
}
