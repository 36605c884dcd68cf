# The root module: imports the cmdlets built for this PowerShell. PowerShell 7.4+ (.NET 8 or later) loads core/, the
# net8.0 build; Windows PowerShell 5.1 loads desktop/, the net472 build with the dependencies .NET Framework lacks.
if ($PSEdition -eq 'Core') {
    if ($PSVersionTable.PSVersion -lt [version]'7.4') {
        throw "RunApi needs PowerShell 7.4 or later (this is $($PSVersionTable.PSVersion)), or Windows PowerShell 5.1."
    }
    $edition = 'core'
}
else {
    $edition = 'desktop'
}
# Path.Combine, not Join-Path: nothing here makes PowerShell load another module.
$cmdlets = [System.IO.Path]::Combine($PSScriptRoot, $edition, 'RunApi.PowerShell.dll')

# The resolver of the module's dependencies (its own load context on PowerShell 7, a resolver by name on Windows
# PowerShell) must be in place before Import-Module reads the cmdlet types. LoadFrom, not Add-Type: the engine alone
# has it, and Import-Module then finds the assembly already loaded.
$null = [System.Reflection.Assembly]::LoadFrom($cmdlets)
[RunApi.PowerShell.Loading.ModuleInitializer]::Prepare()

$binaryModule = Import-Module $cmdlets -PassThru
# Remove-Module RunApi removes the cmdlets with it.
$ExecutionContext.SessionState.Module.OnRemove = { Remove-Module -ModuleInfo $binaryModule }
