using System;
using System.IO;
using System.Management.Automation;
using System.Net;
using System.Threading;

namespace RunApi.PowerShell.Loading
{
    /// <summary>Runs when the module is imported, before any cmdlet: makes the module's dependencies loadable.</summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer
    {
        private static int _initialized;

        public void OnImport()
        {
            // Import-Module -Force imports the assembly again; the process keeps one handler.
            if (Interlocked.Exchange(ref _initialized, 1) == 1) return;
            var folder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;
#if NETFRAMEWORK
            AppDomain.CurrentDomain.AssemblyResolve += new ModuleFolderResolver(folder).Resolve;
            // .NET Framework offers only what the OS and its config default to, which can leave out TLS 1.2.
            ServicePointManager.SecurityProtocol |= SecurityProtocolType.Tls12;
#endif
        }
    }
}
