#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The simulator as users get it: packed as the .NET tool RunApi.Simulator, installed into a tool path, started as
# runapi-simulator, its help, and one pipeline of the built module run against it.

Describe 'The simulator as a .NET tool' -Tag 'Install' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'Simulator.ps1')
        $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
        $packages = Join-Path $TestDrive 'packages'
        $toolPath = Join-Path $TestDrive 'tools'

        function Invoke-Dotnet([string[]] $Arguments) {
            $output = & dotnet @Arguments 2>&1
            if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments -join ' ') failed:`n$($output -join "`n")" }
        }

        # The build's own output (the test command builds first), not a second build of the simulator.
        Invoke-Dotnet @('pack', (Join-Path $root 'tests/RunApi.Simulator'), '-c', 'Release', '--no-build', '-o', $packages, '--nologo')
        # A NuGet folder of its own: the user's may hold an older package of the same version.
        $savedPackages = $env:NUGET_PACKAGES
        try {
            $env:NUGET_PACKAGES = Join-Path $TestDrive 'nuget'
            Invoke-Dotnet @('tool', 'install', 'RunApi.Simulator', '--tool-path', $toolPath, '--add-source', $packages,
                '--version', (Import-PowerShellDataFile (Join-Path $root 'RunApi.psd1')).ModuleVersion)
        }
        finally {
            $env:NUGET_PACKAGES = $savedPackages
        }
        $script:command = Get-ChildItem $toolPath -Filter 'runapi-simulator*' | Where-Object { $_.Extension -in '', '.exe' } | Select-Object -First 1
        $script:simulator = Start-RunApiSimulator -Command $command.FullName
        Import-Module (Join-Path $root 'out/RunApi/RunApi.psd1') -Force
    }

    AfterAll {
        Stop-RunApiSimulator $simulator
    }

    It 'runs New-ImagenImage -Wait | Save-ImagenImage against the installed runapi-simulator' {
        $files = @(New-ImagenImage 'a paper crane on a desk' -BaseUri $simulator.BaseUri -ApiKey $simulator.ApiKey -Wait |
            Save-ImagenImage -OutputDirectory (Join-Path $TestDrive 'images'))

        $files.Count | Should -Be 1
        $bytes = [System.IO.File]::ReadAllBytes($files[0].FullName)
        [System.Text.Encoding]::ASCII.GetString($bytes, 1, 3) | Should -Be 'PNG'
        # It was the installed tool's launcher that answered, not dotnet running the repository's build.
        [System.IO.Path]::GetFileNameWithoutExtension($simulator.Process.MainModule.FileName) | Should -Be 'runapi-simulator'
    }

    It 'names itself in its usage line: runapi-simulator, not the dotnet run of the repository' {
        $help = & $command.FullName --help

        $LASTEXITCODE | Should -Be 0
        $help[0] | Should -BeExactly 'Usage: runapi-simulator [options]'
    }
}
