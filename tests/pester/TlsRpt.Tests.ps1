#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Get-TlsRptReport in the real pwsh: report files, the fixture world's report mailbox (Postfix-delivered mails
# read over IMAPS with a login), the bridge to Send-DaneAlert, and Test-DaneMailDomain's TLS-RPT record.

BeforeAll {
    $manifest = Join-Path $PSScriptRoot '..' '..' 'artifacts' 'DanePS' 'DanePS.psd1'
    Import-Module $manifest -Force
    . (Join-Path $PSScriptRoot 'FixtureWorld.ps1')
    $world = Start-FixtureWorld
    $mailbox = $world.ReportMailbox
    $credential = [pscredential]::new($mailbox.UserName, (ConvertTo-SecureString $mailbox.Password -AsPlainText -Force))
    $imap = @{ ImapServer = $mailbox.Host; ImapPort = $mailbox.ImapsPort; Credential = $credential; SkipCertificateCheck = $true }

    $google = '{"organization-name":"Google Inc.","date-range":{"start-datetime":"2026-11-30T00:00:00Z","end-datetime":"2026-11-30T23:59:59Z"},"contact-info":"smtp-tls-reporting@google.com","report-id":"r1","policies":[{"policy":{"policy-type":"tlsa","policy-string":["3 1 1 AB"],"policy-domain":"dane.example","mx-host":["mx1.dane.example"]},"summary":{"total-successful-session-count":9,"total-failure-session-count":4},"failure-details":[{"result-type":"tlsa-invalid","sending-mta-ip":"209.85.220.41","receiving-mx-hostname":"mx1.dane.example","receiving-ip":"192.0.2.25","failed-session-count":4}]}]}'
    $reports = Join-Path ([IO.Path]::GetTempPath()) "daneps-tlsrpt-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory -Path $reports | Out-Null
    $file = [IO.File]::Create((Join-Path $reports 'google.json.gz'))
    $gzip = [IO.Compression.GZipStream]::new($file, [IO.Compression.CompressionMode]::Compress)
    $bytes = [Text.Encoding]::UTF8.GetBytes($google)
    $gzip.Write($bytes, 0, $bytes.Length)
    $gzip.Dispose()
    $file.Dispose()
    Set-Content -LiteralPath (Join-Path $reports 'broken.json') -Value '{"organization-name": '
}

AfterAll {
    if ($world) { Stop-FixtureWorld -World $world }
    if ($reports) { Remove-Item -LiteralPath $reports -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Get-TlsRptReport, files' {
    It 'reads gzipped reports from Get-ChildItem, and a broken one is an error naming it while the run goes on' {
        $policies = Get-ChildItem -LiteralPath $reports | Get-TlsRptReport -ErrorVariable problems -ErrorAction SilentlyContinue
        $policies | Should -HaveCount 1
        $policies[0].OrganizationName | Should -Be 'Google Inc.'
        $policies[0].PolicyType | Should -Be 'tlsa'
        $policies[0].DateRangeStart | Should -BeOfType [DateTimeOffset]
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'GetTlsRptReportInvalidJson,*'
        $problems[0].TargetObject | Should -BeLike '*broken.json'
    }

    It 'writes failure details that Group-Object, Export-Csv and ConvertTo-Json take as they are' {
        $failures = Get-TlsRptReport (Join-Path $reports '*.gz') -FailureDetail
        ($failures | Group-Object ReceivingMxHostname, ResultType).Name | Should -Be 'mx1.dane.example, tlsa-invalid'
        ($failures | ConvertTo-Json -Depth 4 | ConvertFrom-Json).FailedSessionCount | Should -Be 4
        ($failures | ConvertTo-Csv | ConvertFrom-Csv).ReceivingIp | Should -Be '192.0.2.25'
        (Get-TlsRptReport (Join-Path $reports '*.gz') | Out-String) | Should -Match 'Google Inc\.'
    }
}

Describe 'Get-TlsRptReport, IMAP' {
    It 'reads the report mails Postfix delivered, over IMAPS with a login; the mail without a report is an error' {
        $policies = Get-TlsRptReport @imap -ErrorVariable problems -ErrorAction SilentlyContinue
        ($policies.OrganizationName | Sort-Object -Unique) | Should -Be @('Company-X', 'Google Inc.', 'Microsoft Corporation')
        $problems | Should -HaveCount $mailbox.NonReports
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'GetTlsRptReportNoReportInMessage,*'
    }

    It 'summarises the failures per MX host and result type' {
        $summary = Get-TlsRptReport @imap -Summary -ErrorAction SilentlyContinue | Where-Object ResultType -eq 'tlsa-invalid'
        $summary.ReceivingMxHostname | Should -Be 'mx1.dane.example'
        $summary.FailedSessionCount | Should -Be 12
        $summary.Reporters | Should -Be 'Google Inc.'
    }

    It 'refuses a wrong password with its own ErrorId and never shows the password' {
        $bad = [pscredential]::new($mailbox.UserName, (ConvertTo-SecureString 'not-the-password' -AsPlainText -Force))
        Get-TlsRptReport -ImapServer $mailbox.Host -ImapPort $mailbox.ImapsPort -Credential $bad -SkipCertificateCheck -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'GetTlsRptReportLoginFailed,*'
        "$($problems[0])" | Should -Not -Match 'not-the-password'
    }
}

Describe 'TLS-RPT beside the live checks' {
    It 'pipes the senders'' failures to Send-DaneAlert, once per incident' {
        $state = Join-Path $reports 'alert-state.json'
        $channel = New-DaneAlertChannel -Telegram -BotToken (ConvertTo-SecureString '1234:tlsrpt-token' -AsPlainText -Force) -ChatId 42 -BaseAddress $world.Telegram.BaseAddress -RetryBudgetSec 5
        $first = Get-TlsRptReport (Join-Path $reports '*.gz') -FailureDetail | Send-DaneAlert -Channel $channel -StatePath $state -Confirm:$false
        $first.Status | Should -Be 'Sent'
        $first.Endpoint | Should -Be 'tls-rpt:dane.example:mx1.dane.example:tlsa-invalid'
        $again = Get-TlsRptReport (Join-Path $reports '*.gz') -Summary | Send-DaneAlert -Channel $channel -StatePath $state -Confirm:$false
        $again.Status | Should -Be 'Suppressed'
    }

    It 'notes the TLS-RPT record on Test-DaneMailDomain and warns when a DANE domain has none' {
        $with = Test-DaneMailDomain $world.MailDomainsTlsRpt.With -Server $world.Resolver
        $with.TlsRptStatus | Should -Be 'Valid'
        $with.TlsRptRua | Should -Be "mailto:tls-reports@$($world.MailDomainsTlsRpt.With)"
        $without = Test-DaneMailDomain $world.MailDomainsTlsRpt.Without -Server $world.Resolver -WarningVariable warned -WarningAction SilentlyContinue
        $without.TlsRptStatus | Should -Be 'NotPublished'
        $without.Findings.Code | Should -Contain 'TlsRptMissing'
        $warned -join "`n" | Should -Match '_smtp\._tls\.'
    }
}
