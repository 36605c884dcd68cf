# Times Export-ImagenGallery over a folder of saved images, against baselines over the same files in the same process:
# Get-ImagenImageInfo alone (reading the provenance, no page), and Get-ImagenImageInfo | ConvertTo-Html (the page a
# user would make with what PowerShell has). Prints one Markdown table: the median of -Runs, in ms per 1,000 images.
#   dotnet tool run pwsh -NoProfile bench/scripts/Measure-Gallery.ps1 -Count 5000
# Needs the built module (dotnet build -c Release) and a running simulator (see tests/RunApi.Simulator/README.md):
# -Distinct images are made through it and copied to -Count files, each keeping the provenance embedded in it.
param(
    [int] $Count = 5000,
    [int] $Distinct = 50,
    [int] $Runs = 5,
    [string] $BaseUri = 'http://127.0.0.1:5190',
    [string] $Key = 'K',
    [string] $Module = (Join-Path $PSScriptRoot '../../out/RunApi/RunApi.psd1')
)
$ErrorActionPreference = 'Stop'
Import-Module $Module
$folder = Join-Path ([IO.Path]::GetTempPath()) ("runapi-gallery-bench-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
$made = Join-Path $folder 'made'
$batch = Join-Path $folder 'batch'
$null = New-Item -ItemType Directory $batch
try {
    $colours = 'red', 'blue', 'green', 'amber', 'violet'
    $seeds = 1..$Distinct | ForEach-Object { "a $($colours[$_ % 5]) cube on a table, studio photo, variation $_" } |
        New-ImagenImage -Model imagen-4-fast -OutputDirectory $made -BaseUri $BaseUri -ApiKey $Key
    for ($i = 0; $i -lt $Count; $i++) {
        [IO.File]::Copy($seeds[$i % $seeds.Count].FullName, (Join-Path $batch ('image-{0:D5}.png' -f $i)))
    }

    $cases = [ordered]@{
        'Export-ImagenGallery -InputPath (ours)'        = { Export-ImagenGallery (Join-Path $folder 'a.html') -InputPath $batch -Force | Out-Null }
        'Get-ChildItem \| Export-ImagenGallery (ours)' = { Get-ChildItem $batch -Filter *.png | Export-ImagenGallery (Join-Path $folder 'b.html') -Force | Out-Null }
        'Get-ImagenImageInfo only (baseline)'           = { Get-ImagenImageInfo (Join-Path $batch '*.png') | Out-Null }
        'Get-ImagenImageInfo \| ConvertTo-Html (baseline)' = {
            Get-ImagenImageInfo (Join-Path $batch '*.png') | ConvertTo-Html -Property Path, Prompt, Model, Seed, TaskId, CreatedAt |
                Set-Content (Join-Path $folder 'c.html')
        }
    }
    & $cases[0] # warm-up: JIT and the file cache
    $medians = [ordered]@{}
    foreach ($name in $cases.Keys) {
        $times = foreach ($run in 1..$Runs) { (Measure-Command $cases[$name]).TotalMilliseconds }
        $medians[$name] = ($times | Sort-Object)[[int][math]::Floor($Runs / 2)]
    }
    $ours = $medians[0]
    "| $Count images, median of $Runs | ms | ms per 1,000 images | × Export-ImagenGallery -InputPath |"
    '|---|---:|---:|---:|'
    foreach ($name in $medians.Keys) {
        '| {0} | {1:N0} | {2:N0} | {3:N2} |' -f $name, $medians[$name], ($medians[$name] * 1000 / $Count), ($medians[$name] / $ours)
    }
    "Page: {0:N0} KiB for {1} images." -f ((Get-Item (Join-Path $folder 'a.html')).Length / 1KB), $Count
}
finally {
    Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue
}
