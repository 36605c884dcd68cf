#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# PowerShell 7 shares one load context among all modules: the first Polly.Core loaded would serve every module after
# it. RunApi loads its dependencies into its own context, so a session where another module already loaded another
# Polly.Core runs RunApi unchanged, and the other module keeps its own. In a fresh pwsh, since nothing can be unloaded
# from the shared context.

BeforeDiscovery {
    $script:desktop = $PSVersionTable.PSEdition -eq 'Desktop'
}

Describe 'Another module''s Polly.Core, loaded first' -Tag 'Integration' -Skip:$desktop {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'Simulator.ps1')
        . (Join-Path $PSScriptRoot 'FreshPwsh.ps1')
        $script:simulator = Start-RunApiSimulator
        $packages = ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
        # Full paths, to compare with Assembly.Location on any platform.
        $script:otherPolly = [System.IO.Path]::GetFullPath((Join-Path $packages 'polly.core/8.1.0/lib/net6.0/Polly.Core.dll'))
        $script:manifest = (Resolve-Path (Join-Path $PSScriptRoot '../../out/RunApi/RunApi.psd1')).Path
    }

    AfterAll {
        Stop-RunApiSimulator $simulator
    }

    It 'leaves RunApi working with its own copy, in its own load context, and the other module with 8.1.0' {
        $images = Join-Path $TestDrive 'images'
        $lines = Invoke-FreshPwsh -HomePath (New-ThrowawayHome (Join-Path $TestDrive 'home')) -Environment @{ RUNAPI_BASE_URL = $simulator.BaseUri; RUNAPI_API_KEY = $simulator.ApiKey } -Script @"
`$ErrorActionPreference = 'Stop'
`$other = [System.Reflection.Assembly]::LoadFrom('$otherPolly')
Import-Module '$manifest'
New-ImagenImage 'a red cube on a white table' -Model imagen-4-fast -Wait | Save-ImagenImage -OutputDirectory '$images' | ForEach-Object { 'file=' + `$_.Name }
foreach (`$context in [System.Runtime.Loader.AssemblyLoadContext]::All) {
    foreach (`$assembly in `$context.Assemblies | Where-Object { `$_.GetName().Name -eq 'Polly.Core' }) {
        'polly=' + `$context.Name + '|' + [System.Diagnostics.FileVersionInfo]::GetVersionInfo(`$assembly.Location).FileVersion + '|' + `$assembly.Location
    }
}
# The other module's Polly still runs its own pipelines.
`$ran = `$false
`$other.GetType('Polly.ResiliencePipeline')::Empty.Execute([Action] { `$script:ran = `$true })
'other-ran=' + `$ran
"@
        @($lines | Where-Object { $_ -like 'file=*' }).Count | Should -Be 1
        $polly = @($lines | Where-Object { $_ -like 'polly=*' } | ForEach-Object { $context, $version, $path = ($_ -replace '^polly=', '') -split '\|'; [pscustomobject]@{ Context = $context; Version = $version; Path = $path } })
        $polly.Count | Should -Be 2
        $shared = $polly | Where-Object Context -eq 'Default'
        $shared.Path | Should -Be $otherPolly
        $shared.Version | Should -BeLike '8.1.0*'
        $own = $polly | Where-Object Context -eq 'RunApi'
        $own.Path | Should -Be ([System.IO.Path]::Combine((Split-Path $manifest), 'core', 'dependencies', 'Polly.Core.dll'))
        $lines | Should -Contain 'other-ran=True'
    }
}
