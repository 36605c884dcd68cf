#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The README's first steps, as a newcomer with a clone takes them: the simulator on its fixed port and key, then the
# README's own block (read from README.md) in a fresh pwsh, in a folder that holds the built module at ./out/RunApi.

Describe 'The README''s first steps from a clone' -Tag 'Integration' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'Simulator.ps1')
        . (Join-Path $PSScriptRoot 'FreshPwsh.ps1')
        $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
        $readme = Get-Content (Join-Path $root 'README.md') -Raw
        $section = $readme.Substring($readme.IndexOf('## Try it from a clone'))
        $script:block = [regex]::Match($section, '(?s)```powershell\r?\n(.*?)```').Groups[1].Value
        $script:port = [int][regex]::Match($block, "RUNAPI_BASE_URL = 'http://127\.0\.0\.1:(\d+)'").Groups[1].Value
        $script:key = [regex]::Match($block, "RUNAPI_API_KEY = '([^']+)'").Groups[1].Value

        # The README's port is the simulator's default, taken only when free: a busy one cannot show the steps work.
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, $port)
        try { $listener.Start(); $listener.Stop(); $script:portFree = $true } catch { $script:portFree = $false }
        if ($portFree) { $script:simulator = Start-RunApiSimulator -Port $port -FilesPort ($port + 1) }

        $script:folder = Join-Path $TestDrive 'clone'
        $null = New-Item -ItemType Directory (Join-Path $folder 'out')
        Copy-Item (Join-Path $root 'out/RunApi') (Join-Path $folder 'out/RunApi') -Recurse
    }

    AfterAll {
        Stop-RunApiSimulator $simulator
    }

    It 'makes and saves the image with the key and port the simulator prints' {
        if (-not $portFree) { Set-ItResult -Skipped -Because "port $port is in use"; return }
        $block | Should -Not -BeNullOrEmpty
        $simulator.ApiKey | Should -Be $key
        $simulator.BaseUri | Should -BeLike "http://127.0.0.1:$port*"

        $null = Invoke-FreshPwsh -HomePath (New-ThrowawayHome (Join-Path $TestDrive 'home')) -WorkingDirectory $folder `
            -Script ("`$ErrorActionPreference = 'Stop'`n" + $block)

        $files = @(Get-ChildItem (Join-Path $folder 'images') -Filter *.png)
        $files.Count | Should -Be 1
    }
}
