<#
.SYNOPSIS
    Builds, tests and cleans the RunApi module (for machines with pwsh; the .NET SDK alone is enough to build and test).
.EXAMPLE
    ./build.ps1                 # Build: lays the module out at out/RunApi
.EXAMPLE
    ./build.ps1 -Task Test      # dotnet test, then the Pester scenarios when Pester is installed
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Clean')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$moduleDir = Join-Path $root 'out/RunApi'

function Invoke-Native([string] $Command, [string[]] $Arguments) {
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Command $($Arguments -join ' ') failed with exit code $LASTEXITCODE." }
}

foreach ($step in $Task) {
    switch ($step) {
        'Build' {
            Invoke-Native dotnet @('build', (Join-Path $root 'RunApi.PowerShell.sln'), '-c', $Configuration)
            Write-Host "Module laid out at $moduleDir"
        }
        'Test' {
            Invoke-Native dotnet @('test', (Join-Path $root 'RunApi.PowerShell.sln'), '-c', $Configuration)
            $pesterDir = Join-Path $root 'tests/Pester'
            if ((Test-Path $pesterDir) -and (Get-Module -ListAvailable Pester | Where-Object Version -ge '5.0')) {
                $result = Invoke-Pester -Path $pesterDir -PassThru -Output Detailed
                if ($result.FailedCount -gt 0) { throw "$($result.FailedCount) Pester tests failed." }
            }
            else {
                Write-Host 'Pester 5 or tests/Pester not found: skipped the Pester scenarios.'
            }
        }
        'Clean' {
            Invoke-Native dotnet @('clean', (Join-Path $root 'RunApi.PowerShell.sln'), '-c', $Configuration)
            if (Test-Path $moduleDir) { Remove-Item -Recurse -Force $moduleDir }
        }
    }
}
