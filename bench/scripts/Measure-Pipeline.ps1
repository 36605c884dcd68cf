# Runs one pipeline of the module against a running simulator, as a user's script would, and prints one JSON line:
# the pipeline's wall time, what it emitted, its errors and the process's peak working set.
# Started by the bench (bench/RunApi.Bench, the pipeline scenarios) in a fresh pwsh for each measurement.
param(
    [Parameter(Mandatory)] [string] $BaseUri,
    [Parameter(Mandatory)] [string] $Key,
    [Parameter(Mandatory)] [string] $Module,
    [Parameter(Mandatory)] [string] $Folder,
    [Parameter(Mandatory)] [int] $Count,
    # The pipeline, fed by 1..$Count as "prompt N" strings, e.g. "New-ImagenImage -OutputDirectory $Folder".
    [Parameter(Mandatory)] [string] $Pipeline,
    [string] $WarmUpModel = 'imagen-4-ultra'
)
$ErrorActionPreference = 'Continue'
$env:RUNAPI_BASE_URL = $BaseUri
$env:RUNAPI_API_KEY = $Key
# Every batch is a job: the bench's jobs go beside its output, never into the user's job folder.
$env:RUNAPI_JOB_PATH = Join-Path $Folder 'jobs'
Import-Module $Module

# Warm-up with another model (the simulator completes it at once): JIT, first connections, format data.
$null = New-ImagenImage 'warm-up' -Model $WarmUpModel -OutputDirectory (Join-Path $Folder 'warm-up')
$Error.Clear()

$work = [scriptblock]::Create("param(`$Count, `$Folder) 1..`$Count | ForEach-Object { ""prompt `$_"" } | $Pipeline")
$clock = [Diagnostics.Stopwatch]::StartNew()
$emitted = & $work $Count $Folder | Measure-Object | ForEach-Object Count
$clock.Stop()

[pscustomobject]@{
    wallSeconds = $clock.Elapsed.TotalSeconds
    emitted = $emitted
    errors = $Error.Count
    firstError = if ($Error.Count) { "$($Error[0])" } else { $null }
    peakWorkingSet = (Get-Process -Id $PID).PeakWorkingSet64
} | ConvertTo-Json -Compress
