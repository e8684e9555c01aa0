#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Publish-TlsaRecord and Unpublish-TlsaRecord in the real pwsh, against the fixture world's Cloudflare API stand-in
# (tests/DanePS.FixtureHost): -WhatIf changes nothing, a second run says "already published" / "already absent", and
# the API token, given as a SecureString, shows in no stream even under -Verbose -Debug. Build first
# (./build.ps1 -Task Test does both); needs root and the fixture packages (.ci/install-test-deps.sh).

BeforeAll {
    $manifest = Join-Path $PSScriptRoot '..' '..' 'artifacts' 'DanePS' 'DanePS.psd1'
    Import-Module $manifest -Force
    . (Join-Path $PSScriptRoot 'FixtureWorld.ps1')
    $world = Start-FixtureWorld
    $cf = $world.Cloudflare
    $token = ConvertTo-SecureString -String $cf.Token -AsPlainText -Force
    $provider = New-TlsaProvider -Cloudflare -ApiToken $token -Zone $cf.Zone -ApiUri $cf.ApiUri

    function New-Hex {
        # A fresh 3 1 1 association per test, so no test sees another's records.
        -join ((1..32) | ForEach-Object { '{0:x2}' -f (Get-Random -Maximum 256) })
    }

    function Get-AllStreams {
        # Everything a script block writes to any stream (output, error, warning, verbose, debug, information), as text.
        param([scriptblock] $Script)
        $DebugPreference = 'Continue'
        & $Script *>&1 | ForEach-Object {
            if ($_ -is [Management.Automation.ErrorRecord]) { "$_ $($_.Exception) $($_.ErrorDetails)" }
            elseif ($_ -is [Management.Automation.InformationalRecord]) { $_.Message }
            else { $_ | Out-String; $_ | ConvertTo-Json -Depth 4 -WarningAction SilentlyContinue }
        }
    }
}

AfterAll {
    if ($world) { Stop-FixtureWorld -World $world }
}

Describe 'New-TlsaProvider' {
    It 'shows which provider writes where, and nothing of its plumbing or its token' {
        $text = $provider | Out-String
        $text | Should -Match 'Provider\s+Description'
        $text | Should -Match ('Cloudflare\s+Cloudflare zone ' + [regex]::Escape($cf.Zone))
        $text | Should -Not -Match 'Reporter'
        $text | Should -Not -Match ([regex]::Escape($cf.Token))
    }
}

Describe 'Publish-TlsaRecord' {
    It 'publishes a record, and a second run reports it already published and adds nothing' {
        $hex = New-Hex
        $first = "3 1 1 $hex" | Publish-TlsaRecord -Provider $provider -HostName mail1.example.com -Port 25 -ErrorAction Stop
        $first.Outcome | Should -Be 'Added'
        $first.OwnerName | Should -Be '_25._tcp.mail1.example.com.'

        $verbose = "3 1 1 $hex" | Publish-TlsaRecord -Provider $provider -HostName mail1.example.com -Port 25 -ErrorAction Stop -Verbose 4>&1
        $again = @($verbose | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] })
        $again.Count | Should -Be 1
        $again[0].Outcome | Should -Be 'AlreadyPresent'
        $again[0].Changed | Should -BeFalse
        @($verbose | Where-Object { $_ -is [Management.Automation.VerboseRecord] -and $_.Message -match 'already published: nothing changed' }) | Should -HaveCount 1
    }

    It '-WhatIf writes no change and publishes nothing' {
        $hex = New-Hex
        $whatIf = @("3 1 1 $hex" | Publish-TlsaRecord -Provider $provider -HostName mail2.example.com -Port 25 -WhatIf -ErrorAction Stop)
        $whatIf | Should -HaveCount 0

        # Nothing was there: the real run adds it.
        ("3 1 1 $hex" | Publish-TlsaRecord -Provider $provider -HostName mail2.example.com -Port 25 -ErrorAction Stop).Outcome | Should -Be 'Added'
    }
}

Describe 'Unpublish-TlsaRecord' {
    It '-WhatIf removes nothing; the real run removes the record, and a second run reports it already absent' {
        $hex = New-Hex
        $other = New-Hex
        "3 1 1 $hex", "3 1 1 $other" | Publish-TlsaRecord -Provider $provider -HostName mail3.example.com -Port 25 -ErrorAction Stop | Out-Null

        @("3 1 1 $hex" | Unpublish-TlsaRecord -Provider $provider -HostName mail3.example.com -Port 25 -WhatIf -ErrorAction Stop) | Should -HaveCount 0
        ("3 1 1 $hex" | Publish-TlsaRecord -Provider $provider -HostName mail3.example.com -Port 25 -ErrorAction Stop).Outcome | Should -Be 'AlreadyPresent'

        $removed = "3 1 1 $hex" | Unpublish-TlsaRecord -Provider $provider -HostName mail3.example.com -Port 25 -Confirm:$false -ErrorAction Stop
        $removed.Outcome | Should -Be 'Removed'
        $removed.Record.ToString() | Should -Match $hex

        $verbose = "3 1 1 $hex" | Unpublish-TlsaRecord -Provider $provider -HostName mail3.example.com -Port 25 -Confirm:$false -ErrorAction Stop -Verbose 4>&1
        @($verbose | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] })[0].Outcome | Should -Be 'AlreadyAbsent'
        @($verbose | Where-Object { $_ -is [Management.Automation.VerboseRecord] -and $_.Message -match 'already absent: nothing changed' }) | Should -HaveCount 1

        # Only the named record went: the other one is still there.
        ("3 1 1 $other" | Publish-TlsaRecord -Provider $provider -HostName mail3.example.com -Port 25 -ErrorAction Stop).Outcome | Should -Be 'AlreadyPresent'
    }
}

Describe 'The API token' {
    It 'shows in no stream under -Verbose -Debug, neither in success nor in a failed call' {
        $hex = New-Hex
        $text = Get-AllStreams {
            $p = New-TlsaProvider -Cloudflare -ApiToken $token -Zone $cf.Zone -ApiUri $cf.ApiUri -Verbose -Debug
            $p
            "3 1 1 $hex" | Publish-TlsaRecord -Provider $p -HostName mail4.example.com -Port 25 -Verbose -Debug
            "3 1 1 $hex" | Publish-TlsaRecord -Provider $p -HostName mail4.example.com -Port 25 -Verbose -Debug
            "3 1 1 $hex" | Unpublish-TlsaRecord -Provider $p -HostName mail4.example.com -Port 25 -Confirm:$false -Verbose -Debug
            "3 1 1 $hex" | Unpublish-TlsaRecord -Provider $p -HostName mail4.example.com -Port 25 -Confirm:$false -Verbose -Debug
            # A zone the API does not know: the error carries the provider's failure, never the token.
            $unknown = New-TlsaProvider -Cloudflare -ApiToken $token -Zone nosuchzone.test -ApiUri $cf.ApiUri
            "3 1 1 $hex" | Publish-TlsaRecord -Provider $unknown -HostName mail.nosuchzone.test -Port 25 -Verbose -Debug -ErrorAction Continue
        }
        $all = $text -join "`n"

        # The streams did narrate the calls (so the search below looked at something), including the failure.
        $all | Should -Match 'already published: nothing changed'
        $all | Should -Match 'already absent: nothing changed'
        $all | Should -Match 'nosuchzone\.test'
        $all | Should -Not -Match ([regex]::Escape($cf.Token))
        ($Error | Out-String) | Should -Not -Match ([regex]::Escape($cf.Token))
    }
}
