#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# DanePS against real servers, in the real pwsh: the cmdlets as a user runs them, in pipelines and scripts.
# The servers are the xUnit suite's (tests/DanePS.FixtureHost), started once for this file. Build first
# (./build.ps1 -Task Test does both); needs root and the fixture packages (.ci/install-test-deps.sh).

BeforeAll {
    $manifest = Join-Path $PSScriptRoot '..' '..' 'artifacts' 'DanePS' 'DanePS.psd1'
    Import-Module $manifest -Force
    . (Join-Path $PSScriptRoot 'FixtureWorld.ps1')
    $world = Start-FixtureWorld
    $resolver = $world.Resolver
    $PSDefaultParameterValues = @{ '*-Dane*:Server' = $resolver; 'Get-TlsaRecord:Server' = $resolver }
}

AfterAll {
    if ($world) { Stop-FixtureWorld -World $world }
}

Describe 'Test-DaneMailDomain, live' {
    It 'passes a domain whose every MX host is DANE-authenticated' {
        $result = Test-DaneMailDomain $world.MailDomains.Pass
        $result.Verdict | Should -Be 'Pass'
        $result.MxHosts | Should -Contain 'single.dane.test'
        $result.Endpoints | Should -Not -BeNullOrEmpty
        $result.Endpoints.Verdict | Sort-Object -Unique | Should -Be 'Pass'
    }

    It 'fails a domain with a stale MX, and Where-Object picks it out of several' {
        $failing = Test-DaneMailDomain $world.MailDomains.Pass, $world.MailDomains.Fail | Where-Object Verdict -ne Pass
        $failing | Should -HaveCount 1
        $failing.MailDomain | Should -Be $world.MailDomains.Fail
        $failing.Verdict | Should -Be 'Fail'
    }

    It 'answers -Quiet with one boolean per domain, usable in an if' {
        $answered = if (Test-DaneMailDomain $world.MailDomains.Pass -Quiet) { 'ok' } else { 'alarm' }
        $answered | Should -Be 'ok'
        Test-DaneMailDomain $world.MailDomains.Pass, $world.MailDomains.Fail -Quiet -WarningAction SilentlyContinue | Should -Be @($true, $false)
    }

    It 'writes NoSuchDomain as a non-terminating error and goes on with the next domain' {
        $out = Test-DaneMailDomain 'nosuch.test', $world.MailDomains.Pass -ErrorVariable errs -ErrorAction SilentlyContinue
        $out | Should -HaveCount 1
        $out.Verdict | Should -Be 'Pass'
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'TestDaneMailDomainNoSuchDomain,*'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'stops the script at the first error with -ErrorAction Stop' {
        { Test-DaneMailDomain 'nosuch.test' -ErrorAction Stop } | Should -Throw -ErrorId 'TestDaneMailDomainNoSuchDomain,*'
    }
}

Describe 'Test-DaneEndpoint and Get-TlsaRecord, live' {
    It 'passes an endpoint whose record matches, naming the record and depth' {
        $result = Test-DaneEndpoint $world.Hosts.Pass -Port 25
        $result.Verdict | Sort-Object -Unique | Should -Be 'Pass'
        $result[0].Summary | Should -BeLike '3 1 1 * matched EE public key at depth 0'
    }

    It 'fails an endpoint whose record is stale' {
        (Test-DaneEndpoint $world.Hosts.Stale -Port 25 -WarningAction SilentlyContinue).Verdict | Should -Be 'Fail'
    }

    It 'reports an address that refuses connections as Unreachable' {
        (Test-DaneEndpoint $world.Hosts.Refused -Port 25 -TimeoutSec 5 -WarningAction SilentlyContinue).Verdict | Should -Be 'Unreachable'
    }

    It 'checks what Get-TlsaRecord read, piped straight in' {
        $set = Get-TlsaRecord $world.Hosts.Pass -Port 25
        $set.DnssecStatus | Should -Be 'Secure'
        $result = $set | Test-DaneEndpoint
        $result.HostName | Sort-Object -Unique | Should -Be $world.Hosts.Pass
        $result.Verdict | Sort-Object -Unique | Should -Be 'Pass'
    }

    It 'checks the hosts of a CSV file, one result per row' {
        $csv = Join-Path $TestDrive 'hosts.csv'
        @(
            [pscustomobject]@{ HostName = $world.Hosts.Pass; Port = 25 }
            [pscustomobject]@{ HostName = $world.Hosts.Stale; Port = 25 }
        ) | Export-Csv -LiteralPath $csv -NoTypeInformation
        $results = Import-Csv -LiteralPath $csv | Test-DaneEndpoint -WarningAction SilentlyContinue
        ($results | Where-Object HostName -eq $world.Hosts.Pass).Verdict | Should -Be 'Pass'
        ($results | Where-Object HostName -eq $world.Hosts.Stale).Verdict | Should -Be 'Fail'
    }

    It 'writes GetTlsaRecordBogus for a zone whose signatures are broken, never "no records"' {
        $out = Get-TlsaRecord $world.Hosts.Bogus -Port 25 -ErrorVariable errs -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $errs.FullyQualifiedErrorId | Should -Contain 'GetTlsaRecordBogus,DanePS.Commands.GetTlsaRecordCommand'
        $out | Where-Object Outcome -eq 'NotPublished' | Should -BeNullOrEmpty
    }
}

Describe 'Building and checking records from a live server' {
    BeforeAll {
        $presented = Get-ServerSpkiHash -HostName $world.Hosts.Pass -Port 25 -Server $resolver
        $published = Get-TlsaRecord $world.Hosts.Pass -Port 25
    }

    It 'reads the chain the server presents, and its leaf takes the record DNS publishes' {
        $presented | Should -Not -BeNullOrEmpty
        $presented[0].Depth | Should -Be 0
        $published.Records | ForEach-Object ToString | Should -Contain $presented[0].SuggestedRecord.ToString()
    }

    It 'builds the same record with New-TlsaRecord from the certificate piped in, with its owner name' {
        $record = $presented[0] | New-TlsaRecord -HostName $world.Hosts.Pass -Port 25
        $record.ToString() | Should -Be $presented[0].SuggestedRecord.ToString()
        $record.ZoneFileLine | Should -BeLike "_25._tcp.$($world.Hosts.Pass). IN TLSA 3 1 1 *"
    }

    It 'authenticates the presented chain offline with what Get-TlsaRecord read' {
        $verdict = $published | Test-TlsaRecord -Certificate $presented
        $verdict.Outcome | Should -Be 'Authenticated'
        $verdict.MatchedDepth | Should -Be 0
    }

    It 'parses records as dig prints them into the records DNS serves' {
        $dig = Get-Command -Name dig -CommandType Application -ErrorAction Stop | Select-Object -First 1
        $address, $port = $resolver -split ':'
        $lines = & $dig.Source +short -p $port "@$address" TLSA "_25._tcp.$($world.Hosts.Pass)"
        $LASTEXITCODE | Should -Be 0
        $lines | ConvertTo-TlsaRecord | ForEach-Object ToString | Should -Be ($published.Records | ForEach-Object ToString)
    }
}

Describe 'Servers that misbehave' {
    It 'reports <Behavior> as <Verdict> within the deadline, and goes on with the next target' -ForEach @(
        @{ Behavior = 'Garbage'; Verdict = 'Unreachable' }
        @{ Behavior = 'Silent'; Verdict = 'Unreachable' }
        @{ Behavior = 'NoStartTls'; Verdict = 'Unreachable' }
    ) {
        $hostile = $world.Hostile.$Behavior
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $results = @(
            [pscustomobject]@{ HostName = $hostile.HostName; Port = $hostile.Port }
            [pscustomobject]@{ HostName = $world.Hosts.Pass; Port = 25 }
        ) | Test-DaneEndpoint -TimeoutSec 3 -WarningAction SilentlyContinue
        $clock.Stop()
        ($results | Where-Object HostName -eq $hostile.HostName).Verdict | Sort-Object -Unique | Should -Be $Verdict
        ($results | Where-Object HostName -eq $world.Hosts.Pass).Verdict | Sort-Object -Unique | Should -Be 'Pass'
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
    }
}

Describe 'A scheduled script under pwsh -NonInteractive -NoProfile -File' {
    BeforeAll {
        $script = Join-Path $TestDrive 'check.ps1'
        Set-Content -LiteralPath $script -Value @'
param([string] $Manifest, [string] $Resolver, [string] $Domain)
Import-Module $Manifest -ErrorAction Stop
$failed = @(Test-DaneMailDomain ($Domain -split ',') -Server $Resolver -WarningAction SilentlyContinue | Where-Object Verdict -ne 'Pass')
foreach ($f in $failed) { Write-Output "$($f.MailDomain): $($f.Verdict)" }
exit $failed.Count
'@
        # The pwsh on PATH (as a scheduler starts it); this process may be a dotnet-hosted tool.
        $pwsh = (Get-Command -Name pwsh -CommandType Application | Select-Object -First 1).Source
    }

    It 'exits 0 when every domain passes' {
        $output = & $pwsh -NonInteractive -NoProfile -File $script -Manifest $manifest -Resolver $resolver -Domain $world.MailDomains.Pass
        $LASTEXITCODE | Should -Be 0
        $output | Should -BeNullOrEmpty
    }

    It 'exits with the number of failing domains and names them' {
        $output = & $pwsh -NonInteractive -NoProfile -File $script -Manifest $manifest -Resolver $resolver -Domain "$($world.MailDomains.Pass),$($world.MailDomains.Fail)"
        $LASTEXITCODE | Should -Be 1
        $output | Should -Be "$($world.MailDomains.Fail): Fail"
    }
}

Describe 'Who validates DNSSEC: -DnssecValidation and -TrustAnchorPath, live' {
    BeforeAll {
        # The fixture root's keys as `dig . DNSKEY` prints them (header comments and all): a trust-anchor file as a
        # user makes one for a private root. It lives on the TestDrive: PSDrive, so the path follows PowerShell's rules.
        $address, $port = $resolver -split ':'
        $dig = (Get-Command -Name dig -CommandType Application | Select-Object -First 1).Source
        Set-Content -LiteralPath (Join-Path $TestDrive 'root.keys') -Value (& $dig "@$address" -p $port . DNSKEY +nocmd +noquestion +nostats)
        Set-Content -LiteralPath (Join-Path $TestDrive 'junk.keys') -Value 'this is not a DS or DNSKEY record'
    }

    It 'is a parameter of every cmdlet that reads DNS, with Auto as the default' {
        foreach ($name in 'Get-TlsaRecord', 'Test-DaneEndpoint', 'Test-DaneMailDomain', 'Get-ServerSpkiHash', 'Invoke-TlsaRollover') {
            $command = Get-Command -Name $name
            $command.Parameters['DnssecValidation'].ParameterType.Name | Should -Be 'DnssecValidationMode' -Because $name
            $command.Parameters['TrustAnchorPath'].ParameterType | Should -Be ([string]) -Because $name
        }
        (Get-TlsaRecord $world.Hosts.Pass).DnssecValidation | Should -Be 'Resolver' # Auto, with a validating resolver on loopback
    }

    It 'says who validated on every result, and in the list views' {
        $set = Get-TlsaRecord $world.Hosts.Pass -DnssecValidation Local -TrustAnchorPath 'TestDrive:/root.keys'
        $set.DnssecValidation | Should -Be 'Local'
        $set.DnssecStatus | Should -Be 'Secure'
        ($set | Format-List | Out-String) | Should -Match 'DnssecValidation\s*:\s*Local'

        $domain = Test-DaneMailDomain $world.MailDomains.Pass -DnssecValidation Resolver
        $domain.DnssecValidation | Should -Be 'Resolver'
        $domain.Endpoints.DnssecValidation | Sort-Object -Unique | Should -Be 'Resolver'
        ($domain | Out-String) | Should -Match 'DnssecValidation\s*:\s*Resolver'

        $endpoint = Test-DaneEndpoint $world.Hosts.Pass -Port 25 -DnssecValidation Local -TrustAnchorPath 'TestDrive:/root.keys'
        $endpoint.DnssecValidation | Sort-Object -Unique | Should -Be 'Local'
        ($endpoint[0] | Format-List | Out-String) | Should -Match 'DnssecValidation\s*:\s*Local'
        ($endpoint[0] | ConvertTo-Json -Depth 4 -EnumsAsStrings | ConvertFrom-Json).DnssecValidation | Should -Be 'Local'
    }

    It 'stops with a clean error naming a trust-anchor file that is missing or holds no anchor' {
        { Get-TlsaRecord $world.Hosts.Pass -TrustAnchorPath 'TestDrive:/missing.keys' -ErrorAction Stop } | Should -Throw -ErrorId 'GetTlsaRecordTrustAnchorNotFound,*'
        { Test-DaneMailDomain $world.MailDomains.Pass -TrustAnchorPath 'TestDrive:/junk.keys' -ErrorAction Stop } | Should -Throw -ErrorId 'TestDaneMailDomainInvalidTrustAnchor,*'

        # Nothing can be validated from such a file: the command stops before any query, whatever is piped in.
        $out = $caught = $null
        try { $out = $world.Hosts.Pass, $world.Hosts.Stale | Test-DaneEndpoint -Port 25 -TrustAnchorPath 'TestDrive:/junk.keys' } catch { $caught = $_ }
        $out | Should -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike 'TestDaneEndpointInvalidTrustAnchor,*'
        $caught.CategoryInfo.Category | Should -Be 'InvalidData'
        $caught.TargetObject | Should -BeLike '*junk.keys'
        $caught.Exception.Message | Should -BeLike '*no DS or DNSKEY record*'
    }
}
