# Runs scripts in a fresh PowerShell of the same kind as this one (pwsh, or the dotnet tool's pwsh.dll), with a
# throwaway home: on Linux and macOS, PowerShellGet and PSResourceGet keep their repositories and CurrentUser modules
# under HOME and the XDG folders, so what a test registers and installs there is gone with the folder.
# Dot-source it: . (Join-Path $PSScriptRoot 'FreshPwsh.ps1').

function New-ThrowawayHome {
    param([Parameter(Mandatory)] [string] $Path)
    # .NET reports no LocalApplicationData folder while it does not exist, and PSResourceGet would then write its
    # repository list into the current directory.
    foreach ($folder in '.local/share', '.config', '.cache') { $null = New-Item -ItemType Directory (Join-Path $Path $folder) -Force }
    (Resolve-Path $Path).Path
}

function Invoke-FreshPwsh {
    <#
    .SYNOPSIS
        Runs a script in a new pwsh -NoProfile with HOME at -HomePath and no inherited PSModulePath; returns its output
        lines, and throws with its error output when it fails.
    #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [Parameter(Mandatory)] [string] $HomePath,
        [hashtable] $Environment = @{},
        [string] $WorkingDirectory = $HomePath
    )

    $start = New-Object System.Diagnostics.ProcessStartInfo
    $host_ = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
    # Text: errors come back readable, not as CLIXML.
    $arguments = @('-NoProfile', '-NonInteractive', '-OutputFormat', 'Text', '-EncodedCommand',
        [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($Script)))
    if ([System.IO.Path]::GetFileNameWithoutExtension($host_) -eq 'dotnet') {
        # pwsh from the repository's tool manifest runs as dotnet pwsh.dll.
        $arguments = @(Join-Path $PSHOME 'pwsh.dll') + $arguments
    }
    $start.FileName = $host_
    $start.Arguments = ($arguments | ForEach-Object { '"' + $_ + '"' }) -join ' '
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.WorkingDirectory = $WorkingDirectory
    $variables = $start.EnvironmentVariables
    $variables['HOME'] = $HomePath
    $variables['XDG_DATA_HOME'] = Join-Path $HomePath '.local/share'
    $variables['XDG_CONFIG_HOME'] = Join-Path $HomePath '.config'
    $variables['XDG_CACHE_HOME'] = Join-Path $HomePath '.cache'
    # The child builds its own module path from its home, as a new session of a user does.
    $variables.Remove('PSModulePath')
    $variables['NO_COLOR'] = '1'
    foreach ($name in $Environment.Keys) { $variables[$name] = $Environment[$name] }

    $process = [System.Diagnostics.Process]::Start($start)
    $errors = $process.StandardError.ReadToEndAsync()
    $output = $process.StandardOutput.ReadToEnd()
    $process.WaitForExit()
    if ($process.ExitCode -ne 0) {
        throw "The fresh pwsh failed (exit $($process.ExitCode)):`n$output`n$($errors.Result)"
    }
    @($output -split '\r?\n' | Where-Object { $_ })
}
