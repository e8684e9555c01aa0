#Requires -Version 5.1
<#
.SYNOPSIS
    Builds the DanePS module into artifacts/DanePS and runs its tests.

.DESCRIPTION
    Build: compiles src/DanePS (and the engine) and assembles an importable module folder
    (manifest, DanePS.dll, DanePS.Engine.dll, dependencies, format file, help) under artifacts/DanePS.
    Test: runs the xUnit suite (engine tests, and the cmdlets driven through a hosted PowerShell
    runspace), then Pester (tests/pester) when Pester 5 is installed.

.EXAMPLE
    ./build.ps1 -Task Build; Import-Module ./artifacts/DanePS/DanePS.psd1
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'All')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Where to assemble the module; artifacts/DanePS by default.
    [string] $ModuleOutput
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot

if (-not (Get-Command -Name dotnet -CommandType Application -ErrorAction SilentlyContinue)) {
    throw 'The .NET SDK (the dotnet command) is needed to build DanePS: https://dot.net'
}

function Invoke-Dotnet {
    param([string[]] $Arguments)
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "dotnet $($Arguments -join ' ') failed with exit code $LASTEXITCODE."
    }
}

if ($Task -in 'Build', 'All') {
    $arguments = @('build', [IO.Path]::Combine($root, 'src', 'DanePS', 'DanePS.csproj'), '-c', $Configuration, '--nologo', '-v', 'quiet')
    if ($ModuleOutput) {
        $full = [IO.Path]::GetFullPath([IO.Path]::Combine($ExecutionContext.SessionState.Path.CurrentFileSystemLocation.ProviderPath, $ModuleOutput))
        $arguments += "-p:ModuleOutputDir=$full$([IO.Path]::DirectorySeparatorChar)"
    }
    Invoke-Dotnet $arguments
    $out = if ($ModuleOutput) { $full } else { [IO.Path]::Combine($root, 'artifacts', 'DanePS') }
    $PSCmdlet.WriteVerbose("Module assembled in $out")
}

if ($Task -in 'Test', 'All') {
    # Both suites run, whatever the first one says; the task fails after if either did.
    $failures = @()
    & dotnet test ([IO.Path]::Combine($root, 'DanePS.sln')) -c $Configuration --nologo
    if ($LASTEXITCODE -ne 0) {
        $failures += "dotnet test failed with exit code $LASTEXITCODE."
    }

    $pester = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version -ge [version]'5.0' }
    if ($pester) {
        # Pester checks, in this pwsh, the module that dotnet test just assembled in artifacts/DanePS.
        Import-Module -Name Pester -MinimumVersion 5.0
        $pesterConfiguration = New-PesterConfiguration
        $pesterConfiguration.Run.Path = [IO.Path]::Combine($root, 'tests', 'pester')
        $pesterConfiguration.Run.PassThru = $true
        $pesterConfiguration.Output.Verbosity = 'Detailed'
        $result = Invoke-Pester -Configuration $pesterConfiguration
        if ($result.Result -ne 'Passed') {
            $failures += "Pester: $($result.FailedCount) test(s) failed, $($result.FailedContainersCount) file(s) failed to run."
        }
    }
    elseif ($env:CI -eq 'true') {
        throw 'Pester 5 is not on PSModulePath: CI must run the Pester suite (.ci/install-powershell.sh installs it).'
    }
    else {
        $PSCmdlet.WriteWarning('Pester 5 is not installed: tests/pester skipped (Install-Module Pester -MinimumVersion 5.0).')
    }

    if ($failures) {
        throw ($failures -join ' ')
    }
}
