#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# User-level scenarios: the built module (out/RunApi) against the local RunAPI simulator, configured through the
# environment as a user would. Run by ./build.ps1 -Task Test, or Invoke-Pester ./tests/Pester after a build.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Simulator.ps1')
    $script:simulator = Start-RunApiSimulator
    $script:savedEnvironment = @{ Base = $env:RUNAPI_BASE_URL; Key = $env:RUNAPI_API_KEY; Legacy = $env:RUNAPI_KEY }
    $env:RUNAPI_BASE_URL = $simulator.BaseUri
    $env:RUNAPI_API_KEY = $simulator.ApiKey
    Import-Module (Join-Path $PSScriptRoot '../../out/RunApi/RunApi.psd1') -Force

    $script:productsCsv = Join-Path $TestDrive 'products.csv'
    Set-Content -Path $productsCsv -Encoding UTF8 -Value @(
        'Prompt,Model,AspectRatio'
        '"ceramic mug on a white background, studio light",imagen-4-fast,1:1'
        '"the same mug on a kitchen shelf, morning light",imagen-4,4:3'
        '"isometric illustration of a small bakery, pastel colours",imagen-4-ultra,16:9'
    )
}

AfterAll {
    Stop-RunApiSimulator $simulator
    $env:RUNAPI_BASE_URL = $savedEnvironment.Base
    $env:RUNAPI_API_KEY = $savedEnvironment.Key
    $env:RUNAPI_KEY = $savedEnvironment.Legacy
}

Describe 'A single image' -Tag 'Integration' {
    It 'is generated and saved as a PNG file' {
        $files = @(New-ImagenImage 'a red cube on a white table, studio photo' -OutputDirectory (Join-Path $TestDrive 'single'))

        $files.Count | Should -Be 1
        $files[0] | Should -BeOfType ([System.IO.FileInfo])
        $files[0].Name | Should -Match '_0\.png$'
        $bytes = [System.IO.File]::ReadAllBytes($files[0].FullName)
        [System.Text.Encoding]::ASCII.GetString($bytes, 1, 3) | Should -Be 'PNG'
    }

    It 'is written as a completed task with -Wait, with its model and price' {
        $task = New-ImagenImage 'a lighthouse on a cliff at dusk, oil painting' -Model imagen-4-ultra -AspectRatio 16:9 -Wait

        $task.Status | Should -Be 'completed'
        $task.Model | Should -Be 'imagen-4-ultra'
        $task.Prompt | Should -Be 'a lighthouse on a cliff at dusk, oil painting'
        $task.EstimatedCostUsd | Should -Be 0.12
        @($task.Images).Count | Should -Be 1
        $task.Images[0].Url | Should -Match '^http'
    }

    It 'takes the key as a SecureString instead of the environment' {
        $secure = ConvertTo-SecureString $simulator.ApiKey -AsPlainText -Force
        $saved = $env:RUNAPI_API_KEY
        try {
            Remove-Item Env:RUNAPI_API_KEY
            $task = New-ImagenImage 'a paper boat on a pond' -ApiKey $secure -Wait
            $task.Status | Should -Be 'completed'
        }
        finally {
            $env:RUNAPI_API_KEY = $saved
        }
    }
}

Describe 'A batch from a CSV file' -Tag 'Integration' {
    It 'makes one image per row, with the model and ratio of the row' {
        $tasks = @(Import-Csv $productsCsv | New-ImagenImage -Wait)

        $tasks.Count | Should -Be 3
        ($tasks.Model | Sort-Object) -join ',' | Should -Be 'imagen-4,imagen-4-fast,imagen-4-ultra'
        ($tasks.Status | Sort-Object -Unique) | Should -Be 'completed'
        $total = [decimal]0
        $tasks | ForEach-Object { $total += $_.EstimatedCostUsd }
        $total | Should -Be 0.24
    }

    It 'saves every image with -OutputDirectory' {
        $files = @(Import-Csv $productsCsv | New-ImagenImage -OutputDirectory (Join-Path $TestDrive 'products'))

        $files.Count | Should -Be 3
        ($files.FullName | Sort-Object -Unique).Count | Should -Be 3
    }

    It 'is picked up again from a CSV file of its tasks, then waited for and saved' {
        $tasksCsv = Join-Path $TestDrive 'tasks.csv'
        Import-Csv $productsCsv | New-ImagenImage | Export-Csv $tasksCsv -NoTypeInformation

        $done = @(Import-Csv $tasksCsv | Wait-ImagenTask)
        $files = @($done | Save-ImagenImage -OutputDirectory (Join-Path $TestDrive 'later'))

        $done.Count | Should -Be 3
        $files.Count | Should -Be 3
        (Import-Csv $tasksCsv | Get-ImagenTask | ForEach-Object Status | Sort-Object -Unique) | Should -Be 'completed'
    }
}

Describe 'Checking the cost with -WhatIf' -Tag 'Integration' {
    It 'sends nothing, spends nothing, and shows the total of the batch' {
        $before = Get-RunApiBalanceCents $simulator
        $transcript = Join-Path $TestDrive 'whatif.txt'
        Start-Transcript -Path $transcript | Out-Null
        try {
            $output = Import-Csv $productsCsv | New-ImagenImage -WhatIf
        }
        finally {
            Stop-Transcript | Out-Null
        }

        $output | Should -BeNullOrEmpty
        $text = Get-Content $transcript -Raw
        $text | Should -Match ([regex]::Escape('Create 1 imagen-4-fast task (1 image, estimated $0.04)'))
        $text | Should -Match ([regex]::Escape('for an estimated $0.24 in all'))
        Get-RunApiBalanceCents $simulator | Should -Be $before
    }

    It 'reports a row the model cannot take, still without sending anything' {
        $before = Get-RunApiBalanceCents $simulator
        $rows = @(
            [pscustomobject]@{ Prompt = 'a wide banner'; Model = 'imagen-4'; AspectRatio = '21:9' }
            [pscustomobject]@{ Prompt = 'a square icon'; Model = 'imagen-4'; AspectRatio = '1:1' }
        )
        $rows | New-ImagenImage -WhatIf -ErrorVariable problems -ErrorAction SilentlyContinue

        $problems.Count | Should -Be 1
        $problems[0].TargetObject | Should -Be 'a wide banner'
        Get-RunApiBalanceCents $simulator | Should -Be $before
    }
}

Describe 'A remix from a local file' -Tag 'Integration' {
    It 'uploads the photo, remixes it and saves the result' {
        $photo = @(New-ImagenImage 'a ceramic mug, product photo' -OutputDirectory (Join-Path $TestDrive 'photos'))[0]
        Push-Location $TestDrive
        try {
            # A relative path, resolved from the current location as any cmdlet does.
            $relative = Join-Path 'photos' $photo.Name
            $task = New-ImagenImage 'the same mug on a marble counter, morning light' -SourceImage $relative -OutputResolution 2k -Wait
        }
        finally {
            Pop-Location
        }

        $task.Model | Should -Be 'imagen-4-pro-remix-image'
        $task.Endpoint | Should -Be 'remix_image'
        $task.EstimatedCostUsd | Should -Be 0.18
        @($task | Save-ImagenImage -OutputDirectory (Join-Path $TestDrive 'remixed')).Count | Should -Be 1
    }

    It 'stops before sending anything when a source file does not exist' {
        # -ErrorId matches the whole FullyQualifiedErrorId, which ends with the cmdlet's class.
        { New-ImagenImage 'restyle this' -SourceImage (Join-Path $TestDrive 'missing.png') } |
            Should -Throw -ErrorId 'RunApiInvalidParameter,*'
    }
}

Describe 'Failure records' -Tag 'Integration' {
    It 'reports a failed generation with its prompt and carries on with the others' {
        $done = @('a calm sea at dawn', 'a stormy sea [fail]' | New-ImagenImage -Wait -ErrorVariable failed -ErrorAction SilentlyContinue)

        $done.Count | Should -Be 1
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'RunApiTaskFailed,*'
        # Paid work names its task, and the task its prompt.
        $failed[0].TargetObject.Prompt | Should -Be 'a stormy sea [fail]'
        "$($failed[0])" | Should -Match 'not charged'
    }

    It 'reports a task that failed while waiting with the task as TargetObject' {
        $tasks = @('a quiet harbour', 'a busy harbour [fail]' | New-ImagenImage)
        $done = @($tasks | Wait-ImagenTask -ErrorVariable failed -ErrorAction SilentlyContinue)

        $done.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'RunApiTaskFailed,*'
        $failed[0].TargetObject.Status | Should -Be 'failed'
        $failed[0].TargetObject.Prompt | Should -Be 'a busy harbour [fail]'
    }

    It 'reports a rejected key for every prompt by name, and never shows the key' {
        $wrongKey = 'sk-pester-wrong-key-0123456789abcdef'
        $null = 'one', 'two', 'three' | New-ImagenImage -ApiKey $wrongKey -ErrorVariable failed -ErrorAction SilentlyContinue

        $failed.Count | Should -Be 3
        ($failed | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] } | Sort-Object -Unique) | Should -Be 'RunApiAuthentication'
        ($failed.TargetObject | Sort-Object) -join ',' | Should -Be 'one,three,two'
        ($failed | Out-String) | Should -Not -Match $wrongKey
    }

    It 'stops before sending anything when there is no key' {
        $saved = @{ Key = $env:RUNAPI_API_KEY; Legacy = $env:RUNAPI_KEY }
        try {
            Remove-Item Env:RUNAPI_API_KEY, Env:RUNAPI_KEY -ErrorAction SilentlyContinue
            { New-ImagenImage 'a red cube' } | Should -Throw -ErrorId 'RunApiMissingApiKey,*'
        }
        finally {
            $env:RUNAPI_API_KEY = $saved.Key
            $env:RUNAPI_KEY = $saved.Legacy
        }
    }

    It 'never replaces a file without -Force' {
        $task = New-ImagenImage 'a paper lantern' -Wait
        $path = Join-Path $TestDrive 'lantern.png'
        $null = $task | Save-ImagenImage -Path $path

        $task | Save-ImagenImage -Path $path -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'RunApiFileExists,*'
        @($task | Save-ImagenImage -Path $path -Force).Count | Should -Be 1
    }

    It 'says which id is unknown' {
        Get-ImagenTask -TaskId task_000000000000000000000000 -ErrorVariable failed -ErrorAction SilentlyContinue

        $failed[0].FullyQualifiedErrorId | Should -BeLike 'RunApiNotFound,*'
        $failed[0].TargetObject | Should -Be 'task_000000000000000000000000'
    }
}

Describe 'A gallery of a batch' -Tag 'Integration' {
    It 'is one page of the saved images with their prompts, written as the saves stream in' {
        $folder = Join-Path $TestDrive 'gallery'
        $page = Import-Csv $productsCsv | New-ImagenImage -OutputDirectory $folder | Export-ImagenGallery (Join-Path $folder 'index.html')

        $page | Should -BeOfType ([System.IO.FileInfo])
        $page.Name | Should -Be 'index.html'
        $html = Get-Content $page.FullName -Raw
        ([regex]::Matches($html, '<figure class="card"')).Count | Should -Be 3
        foreach ($row in Import-Csv $productsCsv) { $html | Should -Match ([regex]::Escape("data-prompt=""$($row.Prompt)""")) }
        $html | Should -Match '<b>3</b> images'
        $html | Should -Not -Match 'https?:'
        { Export-ImagenGallery (Join-Path $folder 'index.html') -InputPath $folder -ErrorAction Stop } | Should -Throw '*already exists*'
    }
}

Describe 'A batch that ran overnight' -Tag 'Integration' {
    It 'is a job that says what it did, finishes without its input and is removed on request' {
        $out = Join-Path $TestDrive 'nightly'
        'a teapot', 'a teapot that cannot be drawn [fail]', 'a teapot on a shelf' |
            New-ImagenImage -OutputDirectory $out -JobName 'pester-nightly' -MaxCostUsd 0.16 -ErrorAction SilentlyContinue | Out-Null

        $job = Get-ImagenJob -Name 'pester-nightly' -Last 1
        $job.Status | Should -Be 'CutOff'
        ($job.Saved + $job.Failed + $job.Pending + $job.NotSent) | Should -Be $job.Rows
        $job.NotSent | Should -Be 1
        $job.ExitCode | Should -Be 3
        (Get-ImagenJob -Id $job.Id -Row).Status | Should -Be @('Saved', 'Failed', 'NotSent')

        $job | Resume-ImagenJob | Out-Null
        $after = Get-ImagenJob -Id $job.Id
        $after.Status | Should -Be 'CompletedWithErrors'
        $after.Saved | Should -Be 2
        $after.ExitCode | Should -Be 7

        $after | Remove-ImagenJob
        Get-ImagenJob -Name 'pester-nightly' | Should -BeNullOrEmpty
        @(Get-ChildItem $out -Filter *.png).Count | Should -Be 2
    }
}
