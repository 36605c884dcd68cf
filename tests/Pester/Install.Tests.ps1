#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The package as users get it: build.ps1 -Task Package, a local folder repository, Install-Module (PowerShellGet) and
# Install-PSResource (PSResourceGet) into throwaway homes, then Import-Module RunApi by name in a fresh pwsh and one
# image made and saved against the simulator. Catches a file missing from the package, a wrong manifest field and a
# root module that does not load, none of which the tests of out/RunApi can see.

BeforeDiscovery {
    # Throwaway scopes need HOME and the XDG folders, which Windows does not use for modules.
    $script:onWindows = [System.Environment]::OSVersion.Platform -eq 'Win32NT'
}

Describe 'The package, installed from a repository' -Tag 'Install' -Skip:$onWindows {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'Simulator.ps1')
        . (Join-Path $PSScriptRoot 'FreshPwsh.ps1')
        $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
        $script:simulator = Start-RunApiSimulator

        # The Package task itself, in a fresh pwsh, into a folder that serves as the repository.
        $script:repository = Join-Path $TestDrive 'repository'
        $null = New-Item -ItemType Directory $repository
        $packagingHome = New-ThrowawayHome (Join-Path $TestDrive 'packaging-home')
        $null = Invoke-FreshPwsh -HomePath $packagingHome -WorkingDirectory $root -Script "& ./build.ps1 -Task Package"
        Copy-Item (Join-Path $root 'out/package/*.nupkg') $repository
        $script:version = (Import-PowerShellDataFile (Join-Path $root 'RunApi.psd1')).ModuleVersion

        # In a fresh pwsh with the module installed under $HomePath: import it by name and make one image. Returns
        # where the module was loaded from and the files saved, one per line.
        function Invoke-InstalledModule([string] $HomePath) {
            $output = Join-Path $HomePath 'images'
            $lines = Invoke-FreshPwsh -HomePath $HomePath -Environment @{ RUNAPI_BASE_URL = $simulator.BaseUri; RUNAPI_API_KEY = $simulator.ApiKey } -Script @"
`$ErrorActionPreference = 'Stop'
Import-Module RunApi
'base=' + (Get-Module RunApi).ModuleBase
New-ImagenImage 'a red cube on a white table' -Model imagen-4-fast -Wait | Save-ImagenImage -OutputDirectory '$output' | ForEach-Object { 'file=' + `$_.FullName }
"@
            [pscustomobject]@{
                ModuleBase = ($lines | Where-Object { $_ -like 'base=*' }) -replace '^base=', ''
                Files      = @($lines | Where-Object { $_ -like 'file=*' } | ForEach-Object { $_ -replace '^file=', '' })
            }
        }

        function Assert-OnePng([object] $Result, [string] $HomePath) {
            $Result.ModuleBase | Should -BeLike (Join-Path $HomePath '*')
            $Result.Files.Count | Should -Be 1
            $bytes = [System.IO.File]::ReadAllBytes($Result.Files[0])
            [System.Text.Encoding]::ASCII.GetString($bytes, 1, 3) | Should -Be 'PNG'
        }
    }

    AfterAll {
        Stop-RunApiSimulator $simulator
    }

    It 'is found by a cmdlet name, with its license and every file of the module' {
        $searchHome = New-ThrowawayHome (Join-Path $TestDrive 'search-home')
        $found = Invoke-FreshPwsh -HomePath $searchHome -Script @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name RunApiTest -Uri '$repository' -Trusted
(Find-PSResource -CommandName New-ImagenImage -Repository RunApiTest).ParentResource | ForEach-Object { `$_.Name + ' ' + `$_.Version }
"@
        $found | Should -Contain "RunApi $version"

        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead((Get-ChildItem $repository -Filter *.nupkg).FullName)
        try { $entries = @($zip.Entries.FullName) } finally { $zip.Dispose() }
        $moduleFiles = Get-ChildItem (Join-Path $root 'out/RunApi') -Recurse -File |
            ForEach-Object { $_.FullName.Substring((Join-Path $root 'out/RunApi').Length + 1).Replace('\', '/') }
        $entries | Should -Contain 'LICENSE'
        foreach ($file in $moduleFiles) { $entries | Should -Contain $file }
    }

    It 'installs with Install-Module (PowerShellGet) and makes an image when imported by name' {
        $userHome = New-ThrowawayHome (Join-Path $TestDrive 'powershellget-home')
        $null = Invoke-FreshPwsh -HomePath $userHome -Script @"
`$ErrorActionPreference = 'Stop'
Register-PSRepository -Name RunApiTest -SourceLocation '$repository' -InstallationPolicy Trusted
Install-Module RunApi -Repository RunApiTest -Scope CurrentUser
"@
        Assert-OnePng (Invoke-InstalledModule $userHome) $userHome
    }

    It 'installs with Install-PSResource (PSResourceGet) and makes an image when imported by name' {
        $userHome = New-ThrowawayHome (Join-Path $TestDrive 'psresourceget-home')
        $null = Invoke-FreshPwsh -HomePath $userHome -Script @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name RunApiTest -Uri '$repository' -Trusted
Install-PSResource RunApi -Repository RunApiTest -Scope CurrentUser
"@
        Assert-OnePng (Invoke-InstalledModule $userHome) $userHome
    }
}
