#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester tests for users with pwsh: build first (./build.ps1 -Task Build), then Invoke-Pester ./tests/pester.
# Offline checks; Live.Tests.ps1 checks the same cmdlets against real servers.

BeforeAll {
    $manifest = Join-Path $PSScriptRoot '..' '..' 'artifacts' 'DanePS' 'DanePS.psd1'
    Import-Module $manifest -Force

    function New-TestChain {
        param([string] $Directory)
        $rootKey = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
        $rootReq = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=Pester Root', $rootKey, 'SHA256')
        $rootReq.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($true, $false, 0, $true))
        $root = $rootReq.CreateSelfSigned((Get-Date).AddDays(-1), (Get-Date).AddYears(1))
        $leafKey = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
        $leafReq = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=mx.example.test', $leafKey, 'SHA256')
        $san = [System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
        $san.AddDnsName('mx.example.test')
        $leafReq.CertificateExtensions.Add($san.Build())
        $leaf = $leafReq.Create($root, (Get-Date).AddDays(-1), (Get-Date).AddDays(90), [byte[]](1, 2, 3, 4))
        $pem = foreach ($c in $leaf, $root) {
            "-----BEGIN CERTIFICATE-----`n" + [Convert]::ToBase64String($c.RawData, 'InsertLineBreaks') + "`n-----END CERTIFICATE-----`n"
        }
        $path = Join-Path $Directory 'chain.pem'
        Set-Content -Path $path -Value ($pem -join '') -NoNewline
        [pscustomobject]@{ Path = $path; Leaf = $leaf; Root = $root; LeafSpki = $leafKey.ExportSubjectPublicKeyInfo() }
    }
}

Describe 'DanePS module' {
    It 'exports the cmdlets the manifest lists' {
        $manifestCmdlets = (Test-ModuleManifest $manifest).ExportedCmdlets.Keys | Sort-Object
        (Get-Module DanePS).ExportedCmdlets.Keys | Sort-Object | Should -Be $manifestCmdlets
    }
}

Describe 'ConvertTo-TlsaRecord' {
    It 'parses text split as dig prints it' {
        $hex = 'AB' * 32
        $r = "3 1 1 $($hex.Substring(0, 20)) $($hex.Substring(20))" | ConvertTo-TlsaRecord
        $r.ToString() | Should -Be "3 1 1 $hex"
        $r.Mnemonic | Should -Be 'DANE-EE SPKI SHA2-256'
    }

    It 'writes a non-terminating error for a bad line and goes on' {
        $out = 'nonsense', "3 1 1 $('CD' * 32)" | ConvertTo-TlsaRecord -ErrorVariable errs -ErrorAction SilentlyContinue
        $out | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ConvertToTlsaRecordInvalidFormat,*'
    }
}

Describe 'Get-ServerSpkiHash, New-TlsaRecord and Test-TlsaRecord' {
    BeforeAll {
        $chain = New-TestChain -Directory $TestDrive
        $expected = [System.BitConverter]::ToString([System.Security.Cryptography.SHA256]::Create().ComputeHash($chain.LeafSpki)).Replace('-', '')
    }

    It 'hashes the leaf SPKI and suggests 3 1 1 for the leaf and 2 1 1 for the issuer' {
        $details = Get-ServerSpkiHash -Path $chain.Path
        $details | Should -HaveCount 2
        $details[0].SpkiSha256 | Should -Be $expected
        $details[0].SuggestedRecord.ToString() | Should -Be "3 1 1 $expected"
        $details[1].SuggestedRecord.ToString() | Should -BeLike '2 1 1 *'
    }

    It 'builds the same record with New-TlsaRecord, with an owner name' {
        $r = New-TlsaRecord -Path $chain.Path -HostName mx.example.test -Port 25
        $r.ZoneFileLine | Should -Be "_25._tcp.mx.example.test. IN TLSA 3 1 1 $expected"
    }

    It 'authenticates the chain offline, and not with a wrong record' {
        (Test-TlsaRecord -Path $chain.Path -TlsaRecord "3 1 1 $expected").Outcome | Should -Be 'Authenticated'
        (Test-TlsaRecord -Path $chain.Path -TlsaRecord "3 1 1 $('00' * 32)").Outcome | Should -Be 'NotAuthenticated'
        $ta = Get-ServerSpkiHash -Path $chain.Path | Select-Object -Last 1
        (Test-TlsaRecord -Path $chain.Path -TlsaRecord $ta.SuggestedRecord -HostName mx.example.test).MatchedDepth | Should -Be 1
    }

    It 'reports a missing file as ObjectNotFound and goes on' {
        $out = Get-ServerSpkiHash -Path (Join-Path $TestDrive 'missing.pem'), $chain.Path -ErrorVariable errs -ErrorAction SilentlyContinue
        $out | Should -HaveCount 2
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}

Describe 'Get-TlsaRecord, Test-DaneEndpoint and Test-DaneMailDomain argument errors' {
    # Live DNS and servers are covered by the xUnit suite, which starts its own Knot, Unbound and mail servers.
    It 'refuses a resolver that is not an address, before asking anything' {
        { Get-TlsaRecord mail.example.test -Server 'not-an-ip' -ErrorAction Stop } | Should -Throw -ErrorId 'GetTlsaRecordInvalidServer*'
        { Test-DaneEndpoint mail.example.test -Server 'not-an-ip' -ErrorAction Stop } | Should -Throw -ErrorId 'TestDaneEndpointInvalidServer*'
        { Test-DaneMailDomain example.test -Server 'not-an-ip' -ErrorAction Stop } | Should -Throw -ErrorId 'TestDaneMailDomainInvalidServer*'
    }

    It 'validates ports and limits at binding' {
        { Get-TlsaRecord mail.example.test -Port 70000 } | Should -Throw
        { Test-DaneEndpoint mail.example.test -ThrottleLimit 0 } | Should -Throw
    }

    It 'has one version: the manifest''s, in its assemblies too' {
        $version = (Test-ModuleManifest $manifest).Version
        $assembly = (Get-Command -Name Test-TlsaRecord -Module DanePS).ImplementingType.Assembly
        $assembly.GetName().Version | Should -Be ([version]::new($version.Major, $version.Minor, $version.Build, 0))
    }

    It 'names every cmdlet in its release notes and in CHANGELOG.md' {
        $notes = (Test-ModuleManifest $manifest).ReleaseNotes
        $changelog = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot '..' '..' 'CHANGELOG.md')
        foreach ($command in Get-Command -Module DanePS) {
            $notes | Should -Match ([regex]::Escape($command.Name))
            $changelog | Should -Match ([regex]::Escape("``$($command.Name)``"))
        }
    }

    It 'points Get-Help -Online at its own help page, not at an RFC' {
        $project = (Test-ModuleManifest $manifest).ProjectUri.AbsoluteUri.TrimEnd('/')
        foreach ($command in Get-Command -Module DanePS) {
            $command.HelpUri | Should -Be "$project/blob/main/docs/help/$($command.Name).md"
        }
    }

    It 'has help for every cmdlet' {
        foreach ($command in Get-Command -Module DanePS) {
            (Get-Help $command.Name).Synopsis | Should -Not -BeNullOrEmpty
            (Get-Help $command.Name).Examples | Should -Not -BeNullOrEmpty
        }
    }
}
