#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests, documents, packages and publishes the RunApi module.
.DESCRIPTION
    Runs the tasks given, in order. Works in Windows PowerShell 5.1 and PowerShell 7; needs the .NET 10 SDK
    (the SDK alone builds the module: dotnet build -c Release). Without an installed pwsh, run it in the repository's
    own: dotnet tool restore; dotnet tool run pwsh ./build.ps1 -Task Build, Test

      Build    dotnet build: lays the importable module out at out/RunApi, help included.
      Test     builds once, then runs the xunit suites (dotnet test --no-build) and, beside them in a job of this
               PowerShell edition, the Pester scenarios of tests/Pester (Pester 5.7.1, fetched from NuGet by
               tests/Pester/TestDependencies.csproj); results in out/TestResults (TRX and JUnit XML); closes with
               "N passed, N failed" over both.
      Docs     regenerates src/RunApi.PowerShell/en-US from docs/ with tools/RunApi.HelpGen, the one writer of the
               shipped help. Commit the result: dotnet build ships it as it is.
      Package  out/package/RunApi.<version>.nupkg of the built module, with PSResourceGet's Compress-PSResource
               (PowerShellGet's Publish-Module where PSResourceGet is absent). On
               Windows with platyPS, also writes the updatable help (HelpInfo.xml and cab) to out/package/help.
      Publish  publishes that package to the PowerShell Gallery (or -Repository) with -NuGetApiKey.
      Clean    dotnet clean, and removes out/.
.EXAMPLE
    ./build.ps1 -Task Build, Test
.EXAMPLE
    dotnet tool restore; dotnet tool run pwsh ./build.ps1 -Task Build,Test
    From bash or cmd, with the repository's own pwsh.
.EXAMPLE
    ./build.ps1 -Task Docs
    After editing docs/*.md: regenerates the help; the help test fails until this is done.
.EXAMPLE
    ./build.ps1 -Task Clean, Build, Package
    Register-PSResourceRepository -Name RunApiLocal -Uri ./out/package -Trusted
    Install-PSResource RunApi -Repository RunApiLocal

    Installs the packaged module as users will get it from the Gallery.
.EXAMPLE
    ./build.ps1 -Task Clean, Build, Test, Publish -NuGetApiKey (Get-Secret PSGalleryApiKey -AsPlainText)
#>
[CmdletBinding(PositionalBinding = $false)]
param(
    # The tasks, run in order: Build, Test, Docs, Package, Publish, Clean.
    [Parameter(Position = 0)]
    [ArgumentCompleter({ param($command, $parameter, $word) 'Build', 'Test', 'Docs', 'Package', 'Publish', 'Clean' | Where-Object { $_ -like "$word*" } })]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # The PowerShell Gallery API key, for Publish.
    [string] $NuGetApiKey,

    # Where Publish sends the module.
    [string] $Repository = 'PSGallery',

    # From bash, "-Task Clean, Build" arrives as the words "Clean," and "Build": the words after the first land here.
    [Parameter(ValueFromRemainingArguments = $true, DontShow = $true)]
    [string[]] $MoreTasks
)

$ErrorActionPreference = 'Stop'
$knownTasks = 'Build', 'Test', 'Docs', 'Package', 'Publish', 'Clean'
# "Build, Test" (pwsh), "Build,Test" and "Build," "Test" (other shells) all mean the same two tasks.
$steps = @(@($Task) + @($MoreTasks) -join ',' -split '[,\s]+' | Where-Object { $_ })
foreach ($step in $steps) {
    if ($knownTasks -notcontains $step) { throw "Unknown task '$step'. The tasks are: $($knownTasks -join ', ')." }
}
$root = $PSScriptRoot
$solution = Join-Path $root 'RunApi.PowerShell.sln'
$moduleDir = Join-Path $root 'out/RunApi'
$packageDir = Join-Path $root 'out/package'
$docsDir = Join-Path $root 'docs'
$helpDir = Join-Path $root 'src/RunApi.PowerShell/en-US'

function Invoke-Native([string] $Command, [string[]] $Arguments) {
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Command $($Arguments -join ' ') failed with exit code $LASTEXITCODE." }
}

function Assert-ModuleBuilt {
    if (-not (Test-Path (Join-Path $moduleDir 'RunApi.psd1'))) { throw "There is no module in $moduleDir yet: run the Build task first." }
}

# Pester 5.7.1 from NuGet: restoring tests/Pester/TestDependencies.csproj puts it in the NuGet package folder.
function Get-PesterManifest {
    Invoke-Native dotnet @('restore', (Join-Path $root 'tests/Pester/TestDependencies.csproj'), '--verbosity', 'quiet')
    $packages = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    Join-Path $packages.Trim() 'pester/5.7.1/tools/Pester.psd1'
}

# The xunit suites, on the build just made; returns their counts, read from the TRX files.
function Invoke-DotnetTest([string] $Results) {
    # Normal verbosity names each test as it passes, so a long run shows its progress. Out-Host: the runner's lines go
    # to the screen, not into what this function returns. -maxcpucount: all four test projects at once (by default
    # one per core); they mostly wait on the simulator, and the one whose tests must run alone is the longest.
    & dotnet test $solution -c $Configuration --no-build -maxcpucount:4 --logger trx --logger 'console;verbosity=normal' --results-directory $Results | Out-Host
    $exitCode = $LASTEXITCODE
    $passed = 0; $failed = 0
    foreach ($trx in Get-ChildItem $Results -Filter *.trx -ErrorAction SilentlyContinue) {
        # -LiteralPath: a second TRX of the same second is named with [1], which -Path would take as a wildcard.
        $counters = ([xml](Get-Content -LiteralPath $trx.FullName -Raw)).TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed
        $failed += [int]$counters.failed
    }
    # A crashed test host fails the run even when no test is counted as failed.
    if ($exitCode -ne 0 -and $failed -eq 0) { $failed = 1 }
    [pscustomobject]@{ Passed = $passed; Failed = $failed }
}

# The user-level scenarios of tests/Pester, in a PowerShell of this edition started as a job (a process of its own),
# so that they run while the xunit suites do: both mostly wait on the simulator. Writes JUnit XML beside the TRX files.
function Start-PesterScenarios([string] $Results) {
    $pester = Get-PesterManifest
    Start-Job -Name 'Pester' -ArgumentList $pester, (Join-Path $root 'tests/Pester'), (Join-Path $Results 'pester.junit.xml') -ScriptBlock {
        param($Manifest, $Path, $ResultFile)
        $ErrorActionPreference = 'Stop'
        # Every batch is a job: the scenarios' jobs go to a folder of their own, never the user's.
        $env:RUNAPI_JOB_PATH = Join-Path ([System.IO.Path]::GetTempPath()) "runapi-pester-jobs-$PID"
        Import-Module $Manifest -Force
        $config = New-PesterConfiguration
        $config.Run.Path = $Path
        $config.Run.PassThru = $true
        $config.Output.Verbosity = 'Detailed'
        $config.TestResult.Enabled = $true
        $config.TestResult.OutputFormat = 'JUnitXml'
        $config.TestResult.OutputPath = $ResultFile
        $result = Invoke-Pester -Configuration $config
        # A file that cannot be discovered has no test to fail, nor has an AfterAll that throws: count those once.
        $failed = $result.FailedCount + $result.FailedContainersCount
        if ($failed -eq 0 -and $result.Result -ne 'Passed') { $failed = 1 }
        [pscustomobject]@{ Passed = $result.PassedCount; Failed = $failed }
    }
}

# Pester's lines, shown once the xunit suites are done, and its counts.
function Receive-PesterScenarios($Job) {
    Write-Host "== Pester ($($PSVersionTable.PSEdition) $($PSVersionTable.PSVersion))"
    $null = Wait-Job $Job
    $counts = @(Receive-Job $Job -ErrorVariable jobErrors -ErrorAction SilentlyContinue) | Where-Object { $null -ne $_.PSObject.Properties['Failed'] } | Select-Object -Last 1
    foreach ($e in $jobErrors) { Write-Host "Pester: $e" }
    Remove-Job $Job
    if (-not $counts) { return [pscustomobject]@{ Passed = 0; Failed = 1 } }
    [pscustomobject]@{ Passed = [int]$counts.Passed; Failed = [int]$counts.Failed }
}

function Invoke-AllTests {
    # One build: the xunit suites and the Pester scenarios (which need out/RunApi and the simulator) then use it.
    Invoke-Native dotnet @('build', $solution, '-c', $Configuration)
    $results = Join-Path $root 'out/TestResults'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    $null = New-Item -ItemType Directory $results
    $pesterJob = Start-PesterScenarios $results
    try {
        $xunit = Invoke-DotnetTest $results
    }
    finally {
        $pester = Receive-PesterScenarios $pesterJob
    }
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed; Pester ($($PSVersionTable.PSEdition) $($PSVersionTable.PSVersion)): $($pester.Passed) passed, $($pester.Failed) failed"
    Write-Host "Results: $results (xunit TRX, Pester JUnit XML)"
    $failed = $xunit.Failed + $pester.Failed
    # The closing line .ci/run reports.
    Write-Host "$($xunit.Passed + $pester.Passed) passed, $failed failed"
    if ($failed -gt 0) { throw "$failed tests failed." }
}

# The one writer of the shipped help: tools/RunApi.HelpGen, from docs/ (the GitHub workflow and .ci/run check its
# output byte for byte, so no other generator may write it).
function Export-HelpFromDocs {
    Invoke-Native dotnet @('run', '--project', (Join-Path $root 'tools/RunApi.HelpGen'), '-c', $Configuration, '--', '--docs', $docsDir, '--out', $helpDir)
}

function New-Package {
    Assert-ModuleBuilt
    if (Test-Path $packageDir) { Remove-Item $packageDir -Recurse -Force }
    New-Item -ItemType Directory $packageDir | Out-Null

    if (Get-Command Compress-PSResource -ErrorAction SilentlyContinue) {
        Compress-PSResource -Path $moduleDir -DestinationPath $packageDir
    }
    elseif (Get-Command Publish-Module -ErrorAction SilentlyContinue) {
        # PowerShellGet 2 (Windows PowerShell without PSResourceGet) publishes only to a repository: a throwaway folder
        # one, so that one registered on out/package is not in the way.
        $name = 'RunApiBuild-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        $staging = Join-Path ([System.IO.Path]::GetTempPath()) $name
        New-Item -ItemType Directory $staging | Out-Null
        try {
            Register-PSRepository -Name $name -SourceLocation $staging -PublishLocation $staging -InstallationPolicy Trusted
            try { Publish-Module -Path $moduleDir -Repository $name } finally { Unregister-PSRepository -Name $name }
            Move-Item (Join-Path $staging '*.nupkg') $packageDir
        }
        finally {
            Remove-Item $staging -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
    else {
        throw 'Packaging needs PSResourceGet (Compress-PSResource) or PowerShellGet (Publish-Module).'
    }
    Get-ChildItem $packageDir -Filter *.nupkg | ForEach-Object { Write-Host "Package: $($_.FullName)" }

    # Updatable help for the release page (HelpInfoURI points there). MakeCab exists only on Windows.
    $onWindows = ($PSVersionTable.PSEdition -eq 'Desktop') -or $IsWindows
    if ($onWindows -and (Get-Module -ListAvailable platyPS)) {
        Import-Module platyPS -Force
        New-ExternalHelpCab -CabFilesFolder (Join-Path $moduleDir 'en-US') -LandingPagePath (Join-Path $docsDir 'RunApi.md') `
            -OutputFolder (Join-Path $packageDir 'help') | Out-Null
        Write-Host "Updatable help: $(Join-Path $packageDir 'help')"
    }
}

function Publish-ToGallery {
    Assert-ModuleBuilt
    if (-not $NuGetApiKey) { throw 'Publish needs -NuGetApiKey (an API key of the PowerShell Gallery account).' }
    if (Get-Command Publish-PSResource -ErrorAction SilentlyContinue) {
        # The package of the Package task, command tags included.
        New-Package
        $nupkg = (Get-ChildItem $packageDir -Filter *.nupkg | Select-Object -First 1).FullName
        Publish-PSResource -NupkgPath $nupkg -Repository $Repository -ApiKey $NuGetApiKey
    }
    else {
        Publish-Module -Path $moduleDir -Repository $Repository -NuGetApiKey $NuGetApiKey
    }
    Write-Host "Published $moduleDir to $Repository."
}

foreach ($step in $steps) {
    Write-Host "== $step"
    switch ($step) {
        'Build' {
            Invoke-Native dotnet @('build', $solution, '-c', $Configuration)
            Write-Host "Module laid out at $moduleDir"
        }
        'Test' { Invoke-AllTests }
        'Docs' { Export-HelpFromDocs }
        'Package' { New-Package }
        'Publish' { Publish-ToGallery }
        'Clean' {
            Invoke-Native dotnet @('clean', $solution, '-c', $Configuration)
            $out = Join-Path $root 'out'
            if (Test-Path $out) { Remove-Item $out -Recurse -Force }
        }
    }
}
