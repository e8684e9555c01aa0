#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The streams a scheduled job lives with, in the real pwsh against real servers: -Verbose narrates every stage of a
# check, -Debug never ends a non-interactive run, warnings come once (per pipeline, per code and endpoint), -Quiet
# writes booleans and nothing else. Build first (./build.ps1 -Task Test does both); needs root and the fixture
# packages (.ci/install-test-deps.sh).

BeforeAll {
    $manifest = Join-Path $PSScriptRoot '..' '..' 'artifacts' 'DanePS' 'DanePS.psd1'
    Import-Module $manifest -Force
    . (Join-Path $PSScriptRoot 'FixtureWorld.ps1')
    $world = Start-FixtureWorld
    $resolver = $world.Resolver
    $plain = $world.NonValidatingResolver

    function Get-Stream {
        # What a script block wrote to one stream (3 warning, 4 verbose), every command of its pipelines included.
        param([scriptblock] $Script, [type] $Type)
        & $Script *>&1 | Where-Object { $_ -is $Type }
    }

    function Should-HaveLine {
        # At least one of the lines matches the pattern.
        param([string[]] $Lines, [string] $Pattern)
        @($Lines | Where-Object { $_ -match $Pattern }) | Should -Not -BeNullOrEmpty -Because "a line should match '$Pattern' in:`n$($Lines -join "`n")"
    }
}

AfterAll {
    if ($world) { Stop-FixtureWorld -World $world }
}

Describe '-Verbose' {
    It 'narrates each stage of an endpoint check, each line naming what it is about' {
        $lines = (Get-Stream { Test-DaneEndpoint $world.Hosts.Pass -Port 25 -Server $resolver -SingleHandshake -Verbose } ([Management.Automation.VerboseRecord])).Message
        $name = [regex]::Escape($world.Hosts.Pass)
        Should-HaveLine $lines "^DNS: $name\. A: .* \(Secure\)$"
        Should-HaveLine $lines "^DNS: _25\._tcp\.$name\. TLSA: 3 1 1 .* \(Secure\)$"
        Should-HaveLine $lines "^$($name):25 \[[0-9.]+\]: connect: "
        Should-HaveLine $lines "^$($name):25 \[[0-9.]+\]: STARTTLS: Smtp "
        Should-HaveLine $lines "^$($name):25 \[[0-9.]+\]: handshake: TLS"
        Should-HaveLine $lines "^$($name):25 \[[0-9.]+\] EC P-256: match: Pass"
    }

    It 'narrates the MX lookup of a mail domain and the verdict of each of its hosts' {
        $lines = (Get-Stream { Test-DaneMailDomain $world.MailDomains.Fail -Server $resolver -WarningAction SilentlyContinue -Verbose } ([Management.Automation.VerboseRecord])).Message
        Should-HaveLine $lines "^DNS: $([regex]::Escape($world.MailDomains.Fail))\. MX: .*$([regex]::Escape($world.Hosts.Stale)).* \(Secure\)$"
        Should-HaveLine $lines "^$([regex]::Escape($world.Hosts.Stale)):25 \[[0-9.]+\] .*: match: Fail"
    }
}

Describe '-Debug in a script run as pwsh -NonInteractive -NoProfile -File' {
    BeforeAll {
        $script = Join-Path $TestDrive 'debug.ps1'
        Set-Content -LiteralPath $script -Value @'
param([string] $Manifest, [string] $Resolver, [string] $Plain, [string] $Stale, [string] $Pass)
Import-Module $Manifest -ErrorAction Stop
# A stale record (a finding warning), a resolver that does not validate (the resolver warning), and verbose lines:
# under -Debug PowerShell makes each of them ask whether to go on, which no one can answer here.
$results = @(Test-DaneEndpoint $Stale -Port 25 -Server $Resolver -Debug)
$sets = @(Get-TlsaRecord $Pass -Port 25 -Server $Plain -Debug)
Write-Output "sets: $($sets.Count)"
$failed = @($results | Where-Object Verdict -ne 'Pass')
foreach ($f in $failed) { Write-Output "$($f.HostName): $($f.Verdict)" }
exit $failed.Count
'@
        $pwsh = (Get-Command -Name pwsh -CommandType Application | Select-Object -First 1).Source
    }

    It 'completes, writes its warnings and exits with the number of failing endpoints' {
        $output = & $pwsh -NonInteractive -NoProfile -File $script -Manifest $manifest -Resolver $resolver -Plain $plain -Stale $world.Hosts.Stale -Pass $world.Hosts.Pass 2>&1
        $LASTEXITCODE | Should -Be 1
        $text = $output | ForEach-Object { "$_" -replace "\e\[[0-9;]*m", '' }
        $text | Should -Not -Match 'NonInteractive'
        $text | Should -Contain 'sets: 1'
        $text | Should -Contain "$($world.Hosts.Stale): Fail"
        @($text | Where-Object { $_ -match '^WARNING: .*does not validate' }) | Should -HaveCount 1
        @($text | Where-Object { $_ -match '^WARNING: .*matches nothing' }) | Should -HaveCount 1
        @($text | Where-Object { $_ -match '^VERBOSE: .*: match: Fail' }) | Should -Not -BeNullOrEmpty
    }
}

Describe 'Warnings' {
    It 'warns about a resolver that does not validate once per pipeline, not once per command in it' {
        $warnings = Get-Stream { Get-TlsaRecord $world.Hosts.Pass -Port 25 -Server $plain | Test-DaneEndpoint -Server $plain -SingleHandshake } ([Management.Automation.WarningRecord])
        @($warnings | Where-Object Message -match 'does not validate') | Should -HaveCount 1
    }

    It 'warns again in the next pipeline' {
        $warnings = Get-Stream {
            Get-TlsaRecord $world.Hosts.Pass -Port 25 -Server $plain | Out-Null
            Get-TlsaRecord $world.Hosts.Pass -Port 25 -Server $plain | Out-Null
        } ([Management.Automation.WarningRecord])
        @($warnings | Where-Object Message -match 'does not validate') | Should -HaveCount 2
    }

    It 'writes each finding code at most once per endpoint, however many records it is about' {
        $out = Test-DaneEndpoint $world.Hosts.Many -Port 25 -Server $resolver -SingleHandshake -WarningVariable warnings -WarningAction SilentlyContinue
        $findings = @($out.Findings | Where-Object Severity -eq 'Warning')
        @($findings | Where-Object Code -eq 'StaleRecord') | Should -HaveCount 39
        $codes = @($findings.Code | Sort-Object -Unique)
        $codes | Should -Contain 'TooManyRecords'
        $warnings | Should -HaveCount $codes.Count
        ($warnings | Where-Object Message -match 'matches nothing').Message | Should -Match 'and 38 more'
    }

    It 'writes no warnings with -Quiet, only the boolean' {
        $all = @(Test-DaneEndpoint $world.Hosts.Many -Port 25 -Server $plain -SingleHandshake -Quiet *>&1)
        $all | Should -HaveCount 1
        $all[0] | Should -BeOfType [bool]
        $all[0] | Should -BeFalse
        $domain = @(Test-DaneMailDomain $world.MailDomains.Fail -Server $resolver -Quiet *>&1)
        $domain | Should -HaveCount 1
        $domain[0] | Should -BeFalse
    }
}
