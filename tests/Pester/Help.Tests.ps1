#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The help as a user of this PowerShell gets it, with the built module found through PSModulePath as if installed.

BeforeDiscovery {
    $script:cmdlets = 'New-ImagenImage', 'Get-ImagenTask', 'Wait-ImagenTask', 'Save-ImagenImage', 'Get-ImagenVariant'
}

BeforeAll {
    $script:savedModulePath = $env:PSModulePath
    $outDir = (Resolve-Path (Join-Path $PSScriptRoot '../../out')).Path
    $env:PSModulePath = $outDir + [System.IO.Path]::PathSeparator + $env:PSModulePath
    Import-Module RunApi -Force
}

AfterAll {
    $env:PSModulePath = $savedModulePath
}

Describe 'Help for <_>' -ForEach $cmdlets -Tag 'Help' {
    It 'has a synopsis, a description and at least three examples' {
        $help = Get-Help $_ -Full

        # Without the MAML, Get-Help would make up a synopsis from the syntax, which starts with the name.
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^$_"
        ($help.description | ForEach-Object Text) -join ' ' | Should -Not -BeNullOrEmpty
        @($help.examples.example | Where-Object { "$($_.code)".Trim() }).Count | Should -BeGreaterOrEqual 3
    }

    It 'describes every parameter' {
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters
        $command = $_
        # One Get-Help for all of them (the entries Get-Help -Parameter gives): each call reads the help again.
        $described = @{}
        foreach ($entry in (Get-Help $command -Full).parameters.parameter) { $described[$entry.name] = $entry }
        foreach ($name in (Get-Command $command).Parameters.Keys | Where-Object { $common -notcontains $_ }) {
            $text = $described[$name].description | ForEach-Object Text
            ($text -join ' ').Trim() | Should -Not -BeNullOrEmpty -Because "-$name of $command needs a description"
        }
    }
}

Describe 'about_RunApi' -Tag 'Help' {
    It 'is found by Get-Help and covers keys, models and troubleshooting' {
        $text = Get-Help about_RunApi | Out-String

        $text | Should -Match 'RUNAPI_API_KEY'
        $text | Should -Match 'imagen-4-pro-remix-image'
        $text | Should -Match 'RunApiTaskTimeout'
    }
}
