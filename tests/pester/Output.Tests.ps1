#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# DanePS output as scripts, JSON and CSV consumers see it, in the real pwsh against the live fixtures: ConvertTo-Json
# -Depth 4 complete, Export-Csv with text in every column, results that pipe into the other cmdlets, and Format-List
# views that read well. Build first (./build.ps1 -Task Test does both); needs root and the fixture packages.

BeforeAll {
    $manifest = if ($env:DANEPS_TEST_MANIFEST) { $env:DANEPS_TEST_MANIFEST } else { Join-Path $PSScriptRoot '..' '..' 'artifacts' 'DanePS' 'DanePS.psd1' }
    Import-Module $manifest -Force
    . (Join-Path $PSScriptRoot 'FixtureWorld.ps1')
    $world = Start-FixtureWorld
    $resolver = $world.Resolver
    $PSDefaultParameterValues = @{
        '*-Dane*:Server' = $resolver; 'Get-TlsaRecord:Server' = $resolver; 'Get-ServerSpkiHash:Server' = $resolver
        '*-Dane*:WarningAction' = 'SilentlyContinue'
    }

    # Every value of a parsed JSON document, with its path.
    function Get-JsonLeaf {
        param($Node, [string] $Path = '$')
        if ($Node -is [System.Management.Automation.PSCustomObject]) {
            foreach ($p in $Node.PSObject.Properties) { Get-JsonLeaf $p.Value "$Path.$($p.Name)" }
        }
        elseif ($Node -is [System.Collections.IList]) {
            for ($i = 0; $i -lt $Node.Count; $i++) { Get-JsonLeaf $Node[$i] "$Path[$i]" }
        }
        else {
            [pscustomobject]@{ Path = $Path; Value = $Node }
        }
    }

    # A value where an object was stringified: a .NET type name, a PowerShell hashtable text, a collection type.
    $typeNameText = '^(System\.|DanePS\.|Microsoft\.)|^@\{|List`1|\[\]$'

    function ConvertTo-CheckedJson {
        param([Parameter(ValueFromPipeline)] $InputObject)
        begin { $all = [System.Collections.Generic.List[object]]::new() }
        process { $all.Add($InputObject) }
        end {
            $truncation = $null
            $json = $all | ConvertTo-Json -Depth 4 -EnumsAsStrings -WarningVariable truncation -WarningAction SilentlyContinue
            @($truncation) | Where-Object { $_ } | Should -BeNullOrEmpty -Because 'ConvertTo-Json -Depth 4 must not truncate'
            $json
        }
    }

    $stale = "_25._tcp.$($world.Hosts.Stale)"
}

AfterAll {
    if ($world) { Stop-FixtureWorld -World $world }
}

Describe 'ConvertTo-Json -Depth 4' {
    BeforeAll {
        $domain = Test-DaneMailDomain $world.MailDomains.Pass
        $domainJson = $domain | ConvertTo-CheckedJson
        $parsed = $domainJson | ConvertFrom-Json
    }

    It 'writes a two-MX domain complete: every endpoint, with its records, chain and findings' {
        $domain.MxHosts | Should -HaveCount 2
        $parsed.MailDomain | Should -Be $world.MailDomains.Pass
        $parsed.Endpoints | Should -HaveCount $domain.Endpoints.Count
        foreach ($e in $parsed.Endpoints) {
            $e.Records | Should -Not -BeNullOrEmpty
            $e.Records[0].Record | Should -Match '^\d \d \d [0-9A-F]{64}$'
            $e.PresentedChain[0].SpkiSha256 | Should -Match '^[0-9A-F]{64}$'
            $e.PresentedChain[0].NotAfter | Should -Not -BeNullOrEmpty
        }
    }

    It 'holds each TLSA record once per endpoint, as text, and no whole certificate' {
        foreach ($e in $domain.Endpoints) {
            $text = $e | ConvertTo-CheckedJson
            foreach ($r in $e.Records) {
                $data = ($r.Record -split ' ')[3]
                # Once in Records; the matched one once more as MatchedRecord, the leaf's as its SPKI hash and suggested record.
                $expected = 1 + [int]($e.MatchedRecord -eq $r.Record) + 2 * @($e.PresentedChain | Where-Object SpkiSha256 -eq $data).Count
                ([regex]::Matches($text, $data)).Count | Should -Be $expected -Because "$($r.Record) must not be repeated in $($e.HostName) [$($e.Address)] $($e.PublicKey)"
            }
            $text | Should -Not -Match 'RawData|Thumbprint|"Certificate"'
        }
    }

    It 'writes no .NET type name or stringified object where a value belongs' {
        $bad = Get-JsonLeaf $parsed | Where-Object { $_.Value -is [string] -and $_.Value -match $typeNameText }
        $bad | Should -BeNullOrEmpty
    }

    It 'writes addresses as strings' {
        foreach ($e in $parsed.Endpoints) {
            $e.Address | Should -BeOfType [string]
            [System.Net.IPAddress]::Parse($e.Address) | Should -Not -BeNullOrEmpty
            $e.AddressFamily | Should -BeIn 'IPv4', 'IPv6'
        }
        $set = Get-TlsaRecord $world.Hosts.Pass | ConvertTo-CheckedJson | ConvertFrom-Json
        $set.Addresses[0].Address | Should -BeOfType [string]
        [System.Net.IPAddress]::Parse($set.Addresses[0].Address) | Should -Not -BeNullOrEmpty
    }

    It 'writes every other output type complete too' -ForEach @(
        @{ Name = 'Test-DaneEndpoint (Fail, with findings)'; Command = { Test-DaneEndpoint $world.Hosts.Stale } }
        @{ Name = 'Get-TlsaRecord -MailDomain'; Command = { Get-TlsaRecord -MailDomain $world.MailDomains.Fail } }
        @{ Name = 'Get-ServerSpkiHash'; Command = { Get-ServerSpkiHash -HostName $world.Hosts.Pass } }
        @{ Name = 'Test-TlsaRecord'; Command = { Get-ServerSpkiHash -HostName $world.Hosts.Pass | Test-TlsaRecord -TlsaRecord (Get-TlsaRecord $world.Hosts.Pass) } }
        @{ Name = 'Test-DaneMailDomain (Fail)'; Command = { Test-DaneMailDomain $world.MailDomains.Fail } }
    ) {
        $out = & $Command
        $out | Should -Not -BeNullOrEmpty
        $leaves = Get-JsonLeaf ($out | ConvertTo-CheckedJson | ConvertFrom-Json)
        $leaves | Where-Object { $_.Value -is [string] -and $_.Value -match $typeNameText } | Should -BeNullOrEmpty
    }
}

Describe 'Export-Csv' {
    It 'writes text, never a collection type name, in every column of <Name>' -ForEach @(
        @{ Name = 'Test-DaneMailDomain'; Command = { Test-DaneMailDomain $world.MailDomains.Fail } }
        @{ Name = 'Test-DaneEndpoint'; Command = { Test-DaneEndpoint $world.Hosts.Stale } }
        @{ Name = 'Get-TlsaRecord'; Command = { Get-TlsaRecord -MailDomain $world.MailDomains.Fail } }
        @{ Name = 'the records of Get-TlsaRecord'; Command = { (Get-TlsaRecord $world.Hosts.Stale).Records } }
        @{ Name = 'Get-ServerSpkiHash'; Command = { Get-ServerSpkiHash -HostName $world.Hosts.Pass } }
        @{ Name = 'Test-TlsaRecord'; Command = { Get-ServerSpkiHash -HostName $world.Hosts.Pass | Test-TlsaRecord -TlsaRecord (Get-TlsaRecord $world.Hosts.Stale) } }
        @{ Name = 'findings'; Command = { (Test-DaneMailDomain $world.MailDomains.Fail).Findings } }
    ) {
        $csv = Join-Path $TestDrive 'out.csv'
        & $Command | Export-Csv -LiteralPath $csv -NoTypeInformation
        $rows = Import-Csv -LiteralPath $csv
        $rows | Should -Not -BeNullOrEmpty
        foreach ($row in $rows) {
            foreach ($p in $row.PSObject.Properties) {
                $p.Value | Should -Not -Match $typeNameText -Because "column $($p.Name) must hold text"
            }
        }
    }

    It 'writes the lists as their items' {
        $csv = Join-Path $TestDrive 'domain.csv'
        Test-DaneMailDomain $world.MailDomains.Pass | Export-Csv -LiteralPath $csv -NoTypeInformation
        $row = Import-Csv -LiteralPath $csv
        $row.MxHosts | Should -Be 'single.dane.test, dual.dane.test'
        ($row.Endpoints -split "`n") | Should -HaveCount 3
    }
}

Describe 'Names that mean one thing each' {
    It 'pipes Test-DaneEndpoint output into Get-TlsaRecord and back without binding errors' {
        $errors = $null
        $again = Test-DaneEndpoint $world.Hosts.Pass -ErrorVariable errors |
            Get-TlsaRecord -ErrorVariable +errors |
            Test-DaneEndpoint -ErrorVariable +errors
        $errors | Should -BeNullOrEmpty
        $again.Verdict | Sort-Object -Unique | Should -Be 'Pass'
        $again[0].StartTls | Should -Be 'Smtp'
    }

    It 'pipes Test-DaneMailDomain output into Get-TlsaRecord by its MailDomain' {
        $sets = Test-DaneMailDomain $world.MailDomains.Pass | Get-TlsaRecord
        $sets.HostName | Sort-Object | Should -Be @('dual.dane.test', 'single.dane.test')
        $sets.MailDomain | Sort-Object -Unique | Should -Be $world.MailDomains.Pass
    }

    It 'takes -MailDomain on both mail-domain cmdlets, and -Domain as an alias' {
        (Test-DaneMailDomain -MailDomain $world.MailDomains.Pass).Verdict | Should -Be 'Pass'
        (Test-DaneMailDomain -Domain $world.MailDomains.Pass).Verdict | Should -Be 'Pass'
        (Get-TlsaRecord -Domain $world.MailDomains.Pass).MailDomain | Sort-Object -Unique | Should -Be $world.MailDomains.Pass
    }

    It 'calls implicit TLS ImplicitTls, and still takes -StartTls None' {
        $web = Test-DaneEndpoint $world.Hosts.Web -Port $world.Hosts.WebPort -StartTls None
        $web[0].StartTls | Should -Be 'ImplicitTls'
        (Test-DaneEndpoint $world.Hosts.Web -Port $world.Hosts.WebPort)[0].StartTls | Should -Be 'ImplicitTls'
    }

    It 'feeds an endpoint result to Get-ServerSpkiHash: the same address, key type and STARTTLS dialect' {
        $rsa = Test-DaneEndpoint 'dual.dane.test' | Where-Object KeyType -eq 'Rsa'
        $rsa | Should -HaveCount 1
        $details = $rsa | Get-ServerSpkiHash
        $details[0].PublicKey | Should -Be $rsa.PublicKey
        $details[0].SuggestedRecord | Should -Be $rsa.PresentedChain[0].SuggestedRecord
    }

    It 'hands Get-ServerSpkiHash output to Test-TlsaRecord as the chain' {
        $result = Get-ServerSpkiHash -HostName $world.Hosts.Pass | Test-TlsaRecord -TlsaRecord (Get-TlsaRecord $world.Hosts.Pass)
        $result.Verdict | Should -Be 'Pass'
        $result.MatchedRecord | Should -Match '^3 1 1 [0-9A-F]{64}$'
        (Get-ServerSpkiHash -HostName $world.Hosts.Pass)[0].GetCertificate() | Should -BeOfType [System.Security.Cryptography.X509Certificates.X509Certificate2]

        # An endpoint's Records are records to Test-TlsaRecord, with the DNSSEC status they were read with.
        $endpoint = Test-DaneEndpoint $world.Hosts.Pass
        $offline = Get-ServerSpkiHash -HostName $world.Hosts.Pass | Test-TlsaRecord -TlsaRecord $endpoint[0].Records
        $offline.Verdict | Should -Be 'Pass'
        $offline.DnssecStatus | Should -Be 'Secure'
    }

    It 'gives finding codes from a closed set' {
        $findings = (Test-DaneMailDomain $world.MailDomains.Fail).Findings
        $findings | Should -Not -BeNullOrEmpty
        # The engine loads in DanePS's own load context, where [DanePS.Engine...] type literals do not reach.
        foreach ($f in $findings) {
            $f.Code.GetType().FullName | Should -Be 'DanePS.Engine.Checking.DaneFindingCode'
        }
        [enum]::GetNames($findings[0].Code.GetType()) | Should -Contain 'StaleRecord'
    }

    It 'uses DateTimeOffset for every point in time' {
        (Get-ServerSpkiHash -HostName $world.Hosts.Pass)[0].NotAfter | Should -BeOfType [DateTimeOffset]
        (Get-TlsaRecord $world.Hosts.Pass).SignatureExpiration | Should -BeOfType [DateTimeOffset]
        (Get-Command Test-TlsaRecord).Parameters['ValidationTime'].ParameterType | Should -Be ([Nullable[DateTimeOffset]])
    }
}

Describe 'Format-List' {
    It 'reads well for <Name>' -ForEach @(
        @{ Name = 'a mail domain result'; Command = { Test-DaneMailDomain $world.MailDomains.Fail } }
        @{ Name = 'an endpoint result'; Command = { Test-DaneEndpoint 'dual.dane.test' } }
        @{ Name = 'a failing endpoint result'; Command = { Test-DaneEndpoint $world.Hosts.Stale } }
        @{ Name = 'a TLSA record set'; Command = { Get-TlsaRecord -MailDomain $world.MailDomains.Fail } }
        @{ Name = 'DNS TLSA records'; Command = { (Get-TlsaRecord $world.Hosts.Stale).Records } }
        @{ Name = 'TLSA records'; Command = { ConvertTo-TlsaRecord '3 1 1 0B2F4F7E3D4D0C3A0B0A8E0C4E1D7B9A6C5E4F3A2B1C0D9E8F7A6B5C4D3E2F1A' } }
        @{ Name = 'certificate details'; Command = { Get-ServerSpkiHash -HostName 'dual.dane.test' } }
        @{ Name = 'an offline verdict'; Command = { Get-ServerSpkiHash -HostName $world.Hosts.Pass | Test-TlsaRecord -TlsaRecord (Get-TlsaRecord $world.Hosts.Stale) } }
        @{ Name = 'record evaluations'; Command = { (Test-DaneEndpoint 'dual.dane.test')[0].Records } }
        @{ Name = 'findings'; Command = { (Test-DaneMailDomain $world.MailDomains.Fail).Findings } }
        @{ Name = 'addresses'; Command = { (Get-TlsaRecord $world.Hosts.Pass).Addresses } }
    ) {
        $out = & $Command
        $out | Should -Not -BeNullOrEmpty
        $text = $out | Format-List | Out-String -Width 120
        $text | Should -Not -Match '(DanePS\.Engine|System\.)[\w.`\[\]]+' -Because 'a type name is not a value'
        $text | Should -Not -Match '\{([^{}]+), \1\}' -Because 'a list of identical items says nothing'
        $text | Should -Not -Match '\{[^{}]*\}' -Because 'lists are written as their items'
    }

    It 'never wraps a hash mid-hash at 120 columns: <Name>' -ForEach @(
        @{ Name = 'domain, list'; Command = { Test-DaneMailDomain $world.MailDomains.Fail | Format-List } }
        @{ Name = 'endpoint, table'; Command = { Test-DaneEndpoint $world.Hosts.Stale | Format-Table } }
        @{ Name = 'endpoint, list'; Command = { Test-DaneEndpoint $world.Hosts.Stale | Format-List } }
        @{ Name = 'TLSA set, table'; Command = { Get-TlsaRecord -MailDomain $world.MailDomains.Fail | Format-Table } }
        @{ Name = 'offline verdict, list'; Command = { Get-ServerSpkiHash -HostName $world.Hosts.Pass | Test-TlsaRecord -TlsaRecord (Get-TlsaRecord $world.Hosts.Stale) | Format-List } }
    ) {
        $text = & $Command | Out-String -Width 120
        # A hash is written whole (SHA2-256 or SHA2-512) or shortened to 12 digits and "…"; a wrapped one leaves pieces.
        $pieces = [regex]::Matches($text, '[0-9A-F]{8,}(…)?') | Where-Object { -not ($_.Value.Length -in 64, 128 -or ($_.Value.Length -eq 13 -and $_.Value.EndsWith('…'))) }
        @($pieces).Value | Should -BeNullOrEmpty
    }
}
