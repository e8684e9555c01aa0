# Starts and stops the real-server world the xUnit endpoint tests use (Knot + Unbound with signed, unsigned and
# bogus zones, Postfix, Dovecot, nginx, hostile servers), through tests/DanePS.FixtureHost, for Pester tests that
# check the cmdlets live. Needs root (the fixtures bind port 25 and 53 on 127.x addresses) and the fixture
# packages (.ci/install-test-deps.sh). Dot-source it, then Start-FixtureWorld / Stop-FixtureWorld.

function Get-FixtureHostPath {
    $repo = Join-Path $PSScriptRoot '..' '..'
    foreach ($configuration in 'Release', 'Debug') {
        $dll = Join-Path $repo 'tests' 'DanePS.FixtureHost' 'bin' $configuration 'net10.0' 'DanePS.FixtureHost.dll'
        if (Test-Path -LiteralPath $dll) { return (Resolve-Path -LiteralPath $dll).ProviderPath }
    }
    throw "The fixture host is not built: run 'dotnet build tests/DanePS.FixtureHost -c Release' (or ./build.ps1 -Task Test)."
}

function Start-FixtureWorld {
    [CmdletBinding()]
    param([int] $TimeoutSec = 120)

    $json = Join-Path ([IO.Path]::GetTempPath()) "daneps-pester-world-$([guid]::NewGuid().ToString('N')).json"
    $start = [Diagnostics.ProcessStartInfo]::new('dotnet')
    $start.ArgumentList.Add((Get-FixtureHostPath))
    $start.ArgumentList.Add($json)
    # The host stops when its standard input closes: if this session dies, the servers go with it.
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($start)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while (-not (Test-Path -LiteralPath $json)) {
        if ($process.HasExited) {
            throw "The fixture host exited with code $($process.ExitCode) before the world was up:`n$($stdout.Result)`n$($stderr.Result)"
        }
        if ([DateTime]::UtcNow -gt $deadline) {
            $process.Kill($true)
            throw "The fixture world did not come up within $TimeoutSec s."
        }
        Start-Sleep -Milliseconds 100
    }

    $world = Get-Content -LiteralPath $json -Raw | ConvertFrom-Json
    Remove-Item -LiteralPath $json
    $world | Add-Member -NotePropertyName Process -NotePropertyValue $process -PassThru
}

function Stop-FixtureWorld {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $World)

    $process = $World.Process
    if ($process -and -not $process.HasExited) {
        $process.StandardInput.Close()
        if (-not $process.WaitForExit(60000)) {
            $process.Kill($true)
        }
    }
}
