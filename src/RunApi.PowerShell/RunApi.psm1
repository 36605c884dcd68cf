# The root module: imports the cmdlets built for this PowerShell, as a nested module (Remove-Module RunApi removes it
# too). PowerShell 7.4+ (.NET 8 or later) loads core/, the net8.0 build; Windows PowerShell 5.1 loads desktop/, the
# net472 build with the dependencies .NET Framework lacks. Each line here is paid at every import: no method calls,
# no commands but Import-Module.
$edition = if ($PSEdition -eq 'Core') { 'core' } else { 'desktop' }
Import-Module "$PSScriptRoot/$edition/RunApi.PowerShell.dll"
