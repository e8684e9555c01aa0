#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The classic hourly job (docs/examples/hourly-dane-check.ps1) as a scheduler runs it, against the fixture world in
# the four situations of the monitor it replaces: who receives what, and that a second run within the hour sends
# nothing. E-mail goes to a real Postfix submission server (STARTTLS, AUTH through Dovecot) that delivers to a
# Maildir; Telegram is a loopback stand-in that writes each request it gets to a folder.

BeforeAll {
    $manifest = Join-Path $PSScriptRoot '..' '..' 'artifacts' 'DanePS' 'DanePS.psd1'
    $example = Join-Path $PSScriptRoot '..' '..' 'docs' 'examples' 'hourly-dane-check.ps1'
    . (Join-Path $PSScriptRoot 'FixtureWorld.ps1')
    $world = Start-FixtureWorld
    $pwsh = (Get-Command -Name pwsh -CommandType Application | Select-Object -First 1).Source

    function Get-Received {
        @{
            Mail     = @(Get-ChildItem -LiteralPath $world.Submission.Maildir -File -ErrorAction SilentlyContinue)
            Telegram = @(Get-ChildItem -LiteralPath $world.Telegram.Requests -Filter 'request-*.json' -File | ForEach-Object { (Get-Content -LiteralPath $_.FullName -Raw | ConvertFrom-Json).Body | ConvertFrom-Json })
        }
    }

    # Waits for Postfix to deliver what it accepted: the expected count, then a moment for anything unexpected.
    function Wait-Mail([int] $Count) {
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while (@(Get-ChildItem -LiteralPath $world.Submission.Maildir -File -ErrorAction SilentlyContinue).Count -lt $Count -and [DateTime]::UtcNow -lt $deadline) {
            Start-Sleep -Milliseconds 200
        }
        Start-Sleep -Seconds 2
    }

    function Invoke-HourlyJob([string] $HostName, [string] $StatePath) {
        $tokenFile = Join-Path $TestDrive 'token.xml'
        $credentialFile = Join-Path $TestDrive 'credential.xml'
        ConvertTo-SecureString '424242:TEST-token_value' -AsPlainText -Force | Export-Clixml -LiteralPath $tokenFile
        [pscredential]::new($world.Submission.UserName, (ConvertTo-SecureString $world.Submission.Password -AsPlainText -Force)) | Export-Clixml -LiteralPath $credentialFile
        # As cron runs it: a new pwsh, the script file, the module imported by #Requires from PSModulePath.
        $command = "`$env:PSModulePath = '$(Split-Path (Split-Path $manifest))' + [IO.Path]::PathSeparator + `$env:PSModulePath; " +
            "& '$example' -HostName '$HostName' -SmtpServer '$($world.Submission.Host)' -SmtpPort $($world.Submission.Port) -To '$($world.Submission.To)' " +
            "-SmtpCredential (Import-Clixml '$credentialFile') -BotToken (Import-Clixml '$tokenFile') -ChatId 777 " +
            "-TelegramBaseAddress '$($world.Telegram.BaseAddress)' -StatePath '$StatePath' -Server '$($world.Resolver)' -SkipCertificateCheck"
        $output = & $pwsh -NoProfile -NonInteractive -Command $command 2>&1
        if ($LASTEXITCODE -ne 0) { throw "The hourly job failed ($LASTEXITCODE): $output" }
        $output
    }
}

AfterAll {
    if ($world) { Stop-FixtureWorld -World $world }
}

Describe 'The hourly job in docs/examples, against the four situations' {
    BeforeEach {
        $before = Get-Received
        $state = Join-Path $TestDrive "state-$([guid]::NewGuid().ToString('N')).json"
    }

    It 'is about fifteen lines, and parses' {
        $lines = @(Get-Content -LiteralPath $example | Where-Object { $_.Trim() })
        $lines.Count | Should -BeLessOrEqual 20
        $errors = $null
        [void][System.Management.Automation.Language.Parser]::ParseFile((Resolve-Path $example).ProviderPath, [ref] $null, [ref] $errors)
        $errors | Should -BeNullOrEmpty
    }

    It 'only wrong records: e-mail and Telegram for SMTP and HTTPS, then nothing within the hour' {
        Invoke-HourlyJob $world.Situations.OnlyJunk $state | Out-Null
        Wait-Mail ($before.Mail.Count + 2)
        $after = Get-Received
        $mail = @($after.Mail | Where-Object Name -notin $before.Mail.Name)
        $chat = @($after.Telegram | Select-Object -Skip $before.Telegram.Count)
        $mail | Should -HaveCount 2
        $subjects = $mail | ForEach-Object { (Get-Content -LiteralPath $_.FullName | Where-Object { $_ -like 'Subject: *' } | Select-Object -First 1) }
        $subjects | Sort-Object | Should -Be @('Subject: DANE Fail: onlyjunk.dane.test:25', 'Subject: DANE Fail: onlyjunk.dane.test:443')
        $chat | Should -HaveCount 2
        $chat.chat_id | Sort-Object -Unique | Should -Be '777'
        $chat.parse_mode | Sort-Object -Unique | Should -Be 'MarkdownV2'
        ($chat.text -join "`n") | Should -BeLike '*onlyjunk\.dane\.test:25*'

        $again = Invoke-HourlyJob $world.Situations.OnlyJunk $state
        Wait-Mail 0
        (Get-Received).Mail.Count | Should -Be $after.Mail.Count
        (Get-Received).Telegram.Count | Should -Be $after.Telegram.Count
        $again | Should -BeNullOrEmpty -Because 'a scheduled job that announces nothing prints nothing'
    }

    It 'junk next to the good record: e-mail only, at low priority, then nothing within the hour' {
        Invoke-HourlyJob $world.Situations.Junk $state | Out-Null
        Wait-Mail ($before.Mail.Count + 2)
        $after = Get-Received
        $mail = @($after.Mail | Where-Object Name -notin $before.Mail.Name)
        $mail | Should -HaveCount 2
        $text = $mail | ForEach-Object { Get-Content -LiteralPath $_.FullName -Raw }
        $text | ForEach-Object { $_ | Should -Match '(?m)^Subject: DANE warning: junk\.dane\.test:(25|443) \(.*TooManyRecords.*\)' }
        $text | ForEach-Object { $_ | Should -Match '(?m)^X-Priority: 5' }
        $after.Telegram.Count | Should -Be $before.Telegram.Count

        Invoke-HourlyJob $world.Situations.Junk $state | Out-Null
        Wait-Mail 0
        (Get-Received).Mail.Count | Should -Be $after.Mail.Count
    }

    It 'rollover in progress: nothing' {
        Invoke-HourlyJob $world.Situations.Rollover $state | Should -BeNullOrEmpty
        Wait-Mail 0
        (Get-Received).Mail.Count | Should -Be $before.Mail.Count
        (Get-Received).Telegram.Count | Should -Be $before.Telegram.Count
    }

    It 'the usual single record: nothing' {
        Invoke-HourlyJob $world.Situations.Single $state | Should -BeNullOrEmpty
        Wait-Mail 0
        (Get-Received).Mail.Count | Should -Be $before.Mail.Count
        (Get-Received).Telegram.Count | Should -Be $before.Telegram.Count
    }
}
