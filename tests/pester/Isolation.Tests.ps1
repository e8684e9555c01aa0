#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Other modules bundle other versions of DanePS's dependencies (DnsClient 1.6.1, BouncyCastle 2.4.0, whose assembly
# version 2.0.0.0 is the same as 2.7.0's). Loaded before or after DanePS, in one pwsh session, both must keep
# working, each on its own version. Each case runs in a fresh pwsh: an assembly once loaded stays for the process.

BeforeAll {
    $manifest = (Resolve-Path (Join-Path $PSScriptRoot '..' '..' 'artifacts' 'DanePS' 'DanePS.psd1')).ProviderPath
    . (Join-Path $PSScriptRoot 'FixtureWorld.ps1')
    $world = Start-FixtureWorld
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget' 'packages' }
    $foreignDns = Join-Path $packages 'dnsclient' '1.6.1' 'lib' 'netstandard2.0' 'DnsClient.dll'
    $foreignBc = Join-Path $packages 'bouncycastle.cryptography' '2.4.0' 'lib' 'net6.0' 'BouncyCastle.Cryptography.dll'
    foreach ($file in $foreignDns, $foreignBc) {
        if (-not (Test-Path -LiteralPath $file)) { throw "$file is missing: restore .ci/tools/ci-tools.csproj (.ci/install-powershell.sh does)." }
    }

    $scenario = Join-Path $TestDrive 'scenario.ps1'
    Set-Content -LiteralPath $scenario -Value @'
param([string] $Manifest, [string] $Resolver, [string] $HostName, [string] $DnsClientPath, [string] $BouncyCastlePath, [string] $Order)
$ErrorActionPreference = 'Stop'
function Invoke-OtherModule {
    # What another module does with its own copies: load them, look something up, hash something.
    Add-Type -LiteralPath $DnsClientPath
    Add-Type -LiteralPath $BouncyCastlePath
    $client = [DnsClient.LookupClient]::new([Net.IPEndPoint]::Parse($Resolver))
    $answer = $client.Query($HostName, [DnsClient.QueryType]::A)
    $digest = [Org.BouncyCastle.Crypto.Digests.Sha256Digest]::new()
    [pscustomobject]@{
        DnsClientVersion = [DnsClient.LookupClient].Assembly.GetName().Version.ToString()
        Addresses        = @($answer.Answers).Count
        BouncyCastle     = $digest.GetType().Assembly.GetCustomAttributes([Reflection.AssemblyInformationalVersionAttribute], $false)[0].InformationalVersion
    }
}
$other = $null
if ($Order -eq 'OtherFirst') { $other = Invoke-OtherModule }
Import-Module $Manifest
$verdicts = @((Test-DaneEndpoint $HostName -Port 25 -Server $Resolver).Verdict | ForEach-Object ToString)
if ($Order -eq 'DanePSFirst') { $other = Invoke-OtherModule }
$loaded = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -in 'DnsClient', 'BouncyCastle.Cryptography', 'DanePS.Engine' } | ForEach-Object {
    [pscustomobject]@{
        Name    = $_.GetName().Name
        Version = $_.GetCustomAttributes([Reflection.AssemblyInformationalVersionAttribute], $false)[0].InformationalVersion -replace '\+.*$', ''
        Context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).GetType().Name
    }
}
[pscustomobject]@{ Verdicts = $verdicts; Other = $other; Loaded = @($loaded) } | ConvertTo-Json -Depth 4 -Compress
'@
    $pwsh = (Get-Command -Name pwsh -CommandType Application | Select-Object -First 1).Source

    function Invoke-Scenario([string] $Order) {
        $json = & $pwsh -NoProfile -NonInteractive -File $scenario -Manifest $manifest -Resolver $world.Resolver -HostName $world.Hosts.Pass `
            -DnsClientPath $foreignDns -BouncyCastlePath $foreignBc -Order $Order 2>&1
        if ($LASTEXITCODE -ne 0) { throw "The $Order scenario failed (exit code $LASTEXITCODE):`n$($json -join "`n")" }
        $json | Select-Object -Last 1 | ConvertFrom-Json
    }
}

AfterAll {
    if ($world) { Stop-FixtureWorld -World $world }
}

Describe 'DanePS beside other versions of its dependencies' -ForEach @(
    @{ Order = 'OtherFirst' }
    @{ Order = 'DanePSFirst' }
) {
    BeforeAll {
        $result = Invoke-Scenario $Order
    }

    It 'checks the endpoint on its own DnsClient and BouncyCastle (<Order>)' {
        $result.Verdicts | Should -Not -BeNullOrEmpty
        $result.Verdicts | Sort-Object -Unique | Should -Be 'Pass'
        $engine = $result.Loaded | Where-Object Name -eq 'DanePS.Engine'
        $engine.Context | Should -Be 'DanePSLoadContext'
        ($result.Loaded | Where-Object { $_.Name -eq 'DnsClient' -and $_.Context -eq 'DanePSLoadContext' }).Version | Should -Be '1.8.0'
        ($result.Loaded | Where-Object { $_.Name -eq 'BouncyCastle.Cryptography' -and $_.Context -eq 'DanePSLoadContext' }).Version | Should -Be '2.7.0'
    }

    It 'leaves the other module working on its versions (<Order>)' {
        $result.Other.DnsClientVersion | Should -Be '1.6.1.0'
        $result.Other.Addresses | Should -Be 1
        $result.Other.BouncyCastle | Should -BeLike '2.4.0*'
    }
}
