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

$binaryModule = Import-Module (Join-Path (Join-Path $PSScriptRoot $edition) 'RunApi.PowerShell.dll') -PassThru
# Remove-Module RunApi removes the cmdlets with it.
$ExecutionContext.SessionState.Module.OnRemove = { Remove-Module -ModuleInfo $binaryModule }
