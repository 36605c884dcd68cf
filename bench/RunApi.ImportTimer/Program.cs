// Times a cold Import-Module on the PowerShell 7.6 engine hosted in this fresh process.
//   RunApi.ImportTimer --module PATH.psd1 [--after OTHER.psd1]
// With --after, OTHER is imported first, untimed: a module with a format file warms the engine's format tables, as
// they are in a pwsh session that has already shown formatted output.
// Prints one line: {"openMs":<runspace open>,"importMs":<Import-Module>} and exits 0; on a failed import it prints
// the errors on stderr and exits 1.
//
// The two figures are taken in the same process, one after the other: opening the runspace (the engine's own start,
// the "empty runspace" baseline) and then Import-Module alone, as the first command of that runspace.
using System;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

if ((args.Length != 2 && args.Length != 4) || args[0] != "--module" || (args.Length == 4 && args[2] != "--after"))
{
    Console.Error.WriteLine("Usage: RunApi.ImportTimer --module PATH.psd1 [--after OTHER.psd1]");
    return 2;
}

var modulePath = System.IO.Path.GetFullPath(args[1]);
var firstPath = args.Length == 4 ? System.IO.Path.GetFullPath(args[3]) : null;

var open = Stopwatch.StartNew();
// CreateDefault2: the engine's own commands only. CreateDefault() throws with the engine package alone.
var state = InitialSessionState.CreateDefault2();
using var runspace = RunspaceFactory.CreateRunspace(state);
runspace.Open();
open.Stop();

if (firstPath is not null)
{
    using var first = PowerShell.Create(runspace);
    first.AddCommand("Import-Module").AddParameter("Name", firstPath).Invoke();
    if (first.HadErrors)
    {
        foreach (var error in first.Streams.Error) Console.Error.WriteLine(error.ToString());
        return 1;
    }
}

using var shell = PowerShell.Create(runspace);
shell.AddCommand("Import-Module").AddParameter("Name", modulePath);
var import = Stopwatch.StartNew();
shell.Invoke();
import.Stop();

if (shell.HadErrors)
{
    foreach (var error in shell.Streams.Error) Console.Error.WriteLine(error.ToString());
    return 1;
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{{\"openMs\":{open.Elapsed.TotalMilliseconds:0.###},\"importMs\":{import.Elapsed.TotalMilliseconds:0.###}}}"));
return 0;
