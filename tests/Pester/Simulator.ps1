# Starts and stops the local RunAPI simulator (tests/RunApi.Simulator) for the Pester scenarios.
# Dot-source it: . (Join-Path $PSScriptRoot 'Simulator.ps1'). Works in Windows PowerShell 5.1 and PowerShell 7.

# Every batch is a job: the scenarios keep theirs in a folder of this process, never in the user's own job folder.
$env:RUNAPI_JOB_PATH = Join-Path ([System.IO.Path]::GetTempPath()) "runapi-pester-jobs-$PID"

function Start-RunApiSimulator {
    <#
    .SYNOPSIS
        Starts the simulator on free ports and returns its base URI, its key and its process.
    #>
    param(
        # How long each simulated task takes to complete.
        [int] $GenerationMs = 300,

        # The simulator to run, such as runapi-simulator installed as a .NET tool; by default the repository's build.
        [string] $Command,

        # The ports of the API and of the files origin; 0: free ones.
        [int] $Port = 0,
        [int] $FilesPort = 0
    )

    $options = '--port {0} --files-port {1} --quiet --generation-ms {2}' -f $Port, $FilesPort, $GenerationMs
    $start = New-Object System.Diagnostics.ProcessStartInfo
    if ($Command) {
        $start.FileName = $Command
        $start.Arguments = $options
    }
    else {
        $project = Join-Path $PSScriptRoot '../RunApi.Simulator'
        $dll = Get-ChildItem (Join-Path $project 'bin') -Recurse -Filter 'RunApi.Simulator.dll' -ErrorAction SilentlyContinue |
            Sort-Object LastWriteTime -Descending | Select-Object -First 1
        if (-not $dll) {
            & dotnet build $project -c Release --nologo | Out-Null
            if ($LASTEXITCODE -ne 0) { throw "dotnet build $project failed." }
            $dll = Get-ChildItem (Join-Path $project 'bin') -Recurse -Filter 'RunApi.Simulator.dll' | Select-Object -First 1
        }
        $start.FileName = 'dotnet'
        $start.Arguments = '"{0}" {1}' -f $dll.FullName, $options
    }
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $process = [System.Diagnostics.Process]::Start($start)

    # It prints its URLs and key, then "Press Ctrl+C to stop." (see tests/RunApi.Simulator/Standalone).
    $baseUri = $null
    $apiKey = $null
    while ($null -ne ($line = $process.StandardOutput.ReadLine())) {
        if ($line -match '^\s*API:\s+(\S+)') { $baseUri = $Matches[1] }
        elseif ($line -match '^\s*Key:\s+(\S+)') { $apiKey = $Matches[1] }
        elseif ($line -match 'Press Ctrl\+C') { break }
    }
    if (-not $baseUri -or -not $apiKey) {
        if (-not $process.HasExited) { $process.Kill() }
        throw "The RunAPI simulator did not start ($($start.FileName) $($start.Arguments))."
    }
    [pscustomobject]@{ BaseUri = $baseUri; ApiKey = $apiKey; Process = $process }
}

function Stop-RunApiSimulator {
    param($Simulator)
    if ($Simulator -and -not $Simulator.Process.HasExited) {
        $Simulator.Process.Kill()
        $null = $Simulator.Process.WaitForExit(10000)
    }
}

function Get-RunApiBalanceCents {
    <#
    .SYNOPSIS
        The simulated account's balance, to check what a command spent.
    #>
    param($Simulator)
    $headers = @{ Authorization = 'Bearer ' + $Simulator.ApiKey }
    (Invoke-RestMethod -Uri ($Simulator.BaseUri.TrimEnd('/') + '/api/v1/me/balance') -Headers $headers).balance_cents
}
