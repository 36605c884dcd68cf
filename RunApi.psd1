@{
    RootModule           = 'RunApi.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '5f0c3a5e-8d2b-4f6e-9a71-2c4be1d7e903'
    Author               = 'RunApi contributors'
    CompanyName          = 'RunApi contributors'
    Copyright            = '(c) 2026 RunApi contributors. All rights reserved.'
    Description          = 'Generate images with the Google Imagen 4 models of RunAPI from PowerShell: create tasks, wait for them and save the images, for one prompt or thousands.'
    CompatiblePSEditions = @('Desktop', 'Core')
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('RunApi.Format.ps1xml')

    CmdletsToExport      = @(
        'New-ImagenImage'
        'Get-ImagenTask'
        'Wait-ImagenTask'
        'Save-ImagenImage'
        'Get-ImagenVariant'
        'Get-ImagenImageInfo'
        'Export-ImagenGallery'
        'Get-RunApiBalance'
        'Get-ImagenJob'
        'Resume-ImagenJob'
        'Remove-ImagenJob'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()

    # The full help ships in en-US/; Update-Help looks here for newer help (published with each release).
    HelpInfoURI          = 'https://github.com/runapi-powershell/RunApi/releases/latest/download/'

    PrivateData          = @{
        PSData = @{
            # The PSCommand_ tags are how Find-PSResource -CommandName (and Find-Command) find the module by a cmdlet: a
            # folder repository reads them from this manifest, the Gallery from the package. One per CmdletsToExport.
            Tags         = @('RunAPI', 'Imagen', 'Imagen4', 'GoogleImagen', 'AI', 'GenerativeAI', 'ImageGeneration', 'TextToImage',
                             'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS', 'PSIncludes_Cmdlet',
                             'PSCommand_New-ImagenImage', 'PSCommand_Get-ImagenTask', 'PSCommand_Wait-ImagenTask',
                             'PSCommand_Save-ImagenImage', 'PSCommand_Get-ImagenVariant', 'PSCommand_Get-ImagenImageInfo',
                             'PSCommand_Export-ImagenGallery', 'PSCommand_Get-RunApiBalance', 'PSCommand_Get-ImagenJob',
                             'PSCommand_Resume-ImagenJob', 'PSCommand_Remove-ImagenJob')
            ProjectUri   = 'https://github.com/runapi-powershell/RunApi'
            LicenseUri   = 'https://github.com/runapi-powershell/RunApi/blob/main/LICENSE'
            ReleaseNotes = 'First release: New-ImagenImage, Get-ImagenTask, Wait-ImagenTask, Save-ImagenImage and Get-ImagenVariant for the four Imagen 4 models of RunAPI, with -WhatIf cost estimates, idempotent retried creates, concurrent batches and full help (Get-Help about_RunApi). All changes: https://github.com/runapi-powershell/RunApi/blob/main/CHANGELOG.md'
        }
    }
}
