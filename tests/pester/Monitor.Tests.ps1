#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Invoke-DaneMonitor as schedulers run it, against the fixture world: a settings file run in this session and from
# a real `pwsh -NonInteractive -File` script (the exit code line), -WhatIf, the cron line under /bin/sh, and watch
# mode stopped as Ctrl+C and a service stop (SIGTERM, as systemd sends it) stop it. Telegram is the
# loopback stand-in that writes each request it gets to a folder.

BeforeAll {
    function Get-ScriptRunner {
        # The process that runs the script (called once it has written output): the launcher's child when the
        # launcher has one, else the launcher itself.
        param([Diagnostics.Process] $Launcher)
        $children = "/proc/$($Launcher.Id)/task/$($Launcher.Id)/children"
        [int[]] $ids = @(if (Test-Path -LiteralPath $children) { -split (Get-Content -LiteralPath $children -Raw) })
        if ($ids.Count -gt 0) { $ids[0] } else { $Launcher.Id }
    }

    function Wait-ProcessGone {
        # Whether process $Id has ended (gone, or a zombie its parent has not reaped yet) within $Seconds.
        param([int] $Id, [double] $Seconds)
        $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
        while ([DateTime]::UtcNow -lt $deadline) {
            $stat = Get-Content -LiteralPath "/proc/$Id/stat" -Raw -ErrorAction SilentlyContinue
            if (-not $stat -or $stat -match '^\d+ \(.*\) Z ') { return $true }
            Start-Sleep -Milliseconds 50
        }
        $false
    }

    $manifest = Join-Path $PSScriptRoot '..' '..' 'artifacts' 'DanePS' 'DanePS.psd1'
    $modules = Split-Path (Split-Path (Resolve-Path $manifest).ProviderPath)
    $examples = Join-Path $PSScriptRoot '..' '..' 'docs' 'examples'
    Import-Module $manifest -Force
    . (Join-Path $PSScriptRoot 'FixtureWorld.ps1')
    $world = Start-FixtureWorld
    $pwsh = (Get-Command -Name pwsh -CommandType Application | Select-Object -First 1).Source
    $env:DANEPS_PESTER_TG_TOKEN = '777000:PESTER-token_value'

    function Get-TelegramCount { @(Get-ChildItem -LiteralPath $world.Telegram.Requests -Filter 'request-*.json' -File).Count }

    function New-Settings([string] $Name, [string[]] $Endpoints, [string[]] $MailDomains, [string] $Extra = '') {
        $path = Join-Path $TestDrive $Name
        $list = { param($items) ($items | ForEach-Object { "'$_'" }) -join ', ' }
        Set-Content -LiteralPath $path -Value @"
@{
    Endpoints   = @($(& $list $Endpoints))
    MailDomains = @($(& $list $MailDomains))
    Dns         = @{ Server = '$($world.Resolver)' }
    Checks      = @{ TimeoutSec = 5 }
    Alerts      = @{
        StatePath = '$([IO.Path]::GetFileNameWithoutExtension($Name))-state.json'
        Channels  = @(
            @{ Type = 'Telegram'; Name = 'ops'; BotToken = 'env:DANEPS_PESTER_TG_TOKEN'; ChatId = 4242; BaseAddress = '$($world.Telegram.BaseAddress)'; RetryBudgetSec = 5 }
        )
    }
    $Extra
}
"@
        $path
    }

    # As a scheduler runs it: a new pwsh, the module found on PSModulePath.
    function Invoke-Scheduled([string[]] $Arguments) {
        $env:PSModulePath = $modules + [IO.Path]::PathSeparator + $env:PSModulePath
        try {
            $output = & $pwsh -NoProfile -NonInteractive @Arguments 2>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
        }
        finally {
            $env:PSModulePath = ($env:PSModulePath -split [IO.Path]::PathSeparator | Where-Object { $_ -ne $modules }) -join [IO.Path]::PathSeparator
        }
    }
}

AfterAll {
    if ($world) { Stop-FixtureWorld -World $world }
    Remove-Item Env:\DANEPS_PESTER_TG_TOKEN -ErrorAction SilentlyContinue
}

Describe 'Invoke-DaneMonitor -Path' {
    It 'writes the Test- cmdlets'' results and a summary, tells Telegram about the failures once, and nothing on the second run' {
        $file = New-Settings 'run.psd1' @($world.Situations.OnlyJunk, $world.Hosts.Pass) @($world.MailDomains.Fail, $world.MailDomains.Pass)
        $before = Get-TelegramCount
        $output = Invoke-DaneMonitor -Path $file -WarningAction SilentlyContinue
        $summary = $output[-1]
        $summary.PSObject.TypeNames[0] | Should -Be 'DanePS.Engine.Monitoring.MonitorSummary'
        @($output | Where-Object { $_.PSObject.TypeNames[0] -eq 'DanePS.Engine.Checking.DaneEndpointResult' }).HostName | Sort-Object -Unique |
            Should -Be @($world.Situations.OnlyJunk, $world.Hosts.Pass)
        @($output | Where-Object { $_.PSObject.TypeNames[0] -eq 'DanePS.Engine.Checking.DaneMailDomainResult' }).MailDomain | Sort-Object |
            Should -Be (@($world.MailDomains.Fail, $world.MailDomains.Pass) | Sort-Object)
        $summary.ExitCode | Should -Be 2
        $summary.AlertsSent | Should -Be 2   # onlyjunk:25 and mixedmail's stale MX host
        (Get-TelegramCount) - $before | Should -Be 2
        Test-Path -LiteralPath (Join-Path $TestDrive 'run-state.json') | Should -BeTrue

        $again = Invoke-DaneMonitor -Path $file -WarningAction SilentlyContinue | Select-Object -Last 1
        $again.AlertsSent | Should -Be 0
        $again.AlertsSuppressed | Should -Be 2
        (Get-TelegramCount) - $before | Should -Be 2
    }

    It 'shows its summary in the list view' {
        $file = New-Settings 'view.psd1' @($world.Hosts.Pass) @()
        $text = Invoke-DaneMonitor -Path $file -WarningAction SilentlyContinue | Select-Object -Last 1 | Out-String
        $text | Should -Match 'Status\s+: Ok'
        $text | Should -Match 'Verdicts\s+: 1 Pass, 0 Fail'
        $text | Should -Match 'Alerts\s+: 0 sent, 0 suppressed, 0 failed'
    }

    It '-WhatIf lists what would be checked and who would be told, and sends nothing' {
        $file = New-Settings 'whatif.psd1' @($world.Situations.OnlyJunk) @($world.MailDomains.Fail)
        $before = Get-TelegramCount
        $run = Invoke-Scheduled @('-Command', "Invoke-DaneMonitor -Path '$file' -WhatIf")
        $run.Output | Should -Match ([regex]::Escape("on target `"$($world.Situations.OnlyJunk):25 (TLS Auto)`""))
        $run.Output | Should -Match ([regex]::Escape("on target `"mail domain $($world.MailDomains.Fail)`""))
        $run.Output | Should -Match 'on target "ops \(Telegram'
        $run.Output | Should -Not -Match 'PESTER-token_value'
        Start-Sleep -Milliseconds 500
        Get-TelegramCount | Should -Be $before
        Test-Path -LiteralPath (Join-Path $TestDrive 'whatif-state.json') | Should -BeFalse
    }
}

Describe 'The exit code line in a real script (docs/examples/dane-monitor.ps1)' {
    It 'exits <Expected> for <Case>' -ForEach @(
        @{ Case = 'all pass'; Expected = 0; Endpoints = @('single.dane.test'); Domains = @('goodmail.test'); Extra = '' }
        @{ Case = 'warnings only'; Expected = 1; Endpoints = @('junk.dane.test'); Domains = @(); Extra = '' }
        @{ Case = 'a failure'; Expected = 2; Endpoints = @('onlyjunk.dane.test'); Domains = @('goodmail.test'); Extra = '' }
        @{ Case = 'invalid settings'; Expected = 3; Endpoints = @('single.dane.test'); Domains = @(); Extra = 'Surprise = 1' }
    ) {
        $file = New-Settings "exit-$Expected.psd1" $Endpoints $Domains $Extra
        $run = Invoke-Scheduled @('-File', (Join-Path $examples 'dane-monitor.ps1'), '-Path', $file)
        $run.ExitCode | Should -Be $Expected -Because $run.Output
    }

    It 'the cron line, run by /bin/sh with its environment file, exits with the summary''s code' {
        $line = Get-Content -LiteralPath (Join-Path $examples 'dane-monitor.cron') | Where-Object { $_ -and $_ -notmatch '^\s*#' }
        $command = ($line -split ' ', 7)[6]
        $file = New-Settings 'cron.psd1' @('onlyjunk.dane.test') @()
        $envFile = Join-Path $TestDrive 'monitor.env'
        Set-Content -LiteralPath $envFile -Value "PSModulePath=$modules`nPATH=$(Split-Path $pwsh):/usr/bin:/bin`nDANEPS_PESTER_TG_TOKEN=$env:DANEPS_PESTER_TG_TOKEN"
        $command = $command.Replace('/etc/daneps/monitor.env', $envFile).Replace('/etc/daneps/monitor.psd1', $file)
        $output = & /bin/sh -c $command 2>&1
        $LASTEXITCODE | Should -Be 2 -Because ($output -join "`n")
        $output | Should -BeNullOrEmpty -Because 'cron mails whatever the job prints'
    }
}

Describe 'Watch mode' {
    It 'stops within about a second when the pipeline is stopped (Ctrl+C)' {
        $file = New-Settings 'watch-stop.psd1' @($world.Situations.OnlyJunk, $world.Hosts.Refused) @($world.MailDomains.Fail)
        $ps = [powershell]::Create()
        try {
            [void]$ps.AddScript("Import-Module '$manifest'; Invoke-DaneMonitor -Path '$file' -Interval 60 -WarningAction SilentlyContinue")
            $async = $ps.BeginInvoke()
            Start-Sleep -Seconds 4
            $async.IsCompleted | Should -BeFalse -Because 'watch mode runs until stopped'
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 1.5
        }
        finally {
            $ps.Dispose()
        }
    }

    It 'a pwsh running it as a service ends within two seconds of SIGTERM (a service stop), its state file whole' {
        $file = New-Settings 'watch-signal.psd1' @($world.Situations.OnlyJunk) @()
        $script = Join-Path $TestDrive 'watch.ps1'
        Set-Content -LiteralPath $script -Value "Import-Module '$manifest'; Invoke-DaneMonitor -Path '$file' -Interval 2 | ForEach-Object { if (`$_.PSObject.TypeNames[0] -like '*MonitorSummary') { 'run ' + `$_.Run + ' exit ' + `$_.ExitCode } }"
        $start = [Diagnostics.ProcessStartInfo]::new($pwsh)
        foreach ($a in '-NoProfile', '-NonInteractive', '-File', $script) { $start.ArgumentList.Add($a) }
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.UseShellExecute = $false
        $process = [Diagnostics.Process]::Start($start)
        try {
            $lines = [System.Collections.Generic.List[string]]::new()
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ($lines.Count -lt 2 -and [DateTime]::UtcNow -lt $deadline) {
                $line = $process.StandardOutput.ReadLine()
                if ($null -eq $line) { break }
                if ($line -like 'run *') { $lines.Add($line) }
            }
            $lines | Should -Be @('run 1 exit 2', 'run 2 exit 2')

            # The signal goes to the process that runs the script. pwsh installed as a .NET tool is a launcher that
            # runs `dotnet pwsh.dll` as its child and does not pass signals on, so signalling the launcher alone would
            # leave the watch running (as systemd's stop reaches every process of the service, the child is the one).
            $runner = Get-ScriptRunner -Launcher $process
            Get-Content -LiteralPath "/proc/$runner/cmdline" -Raw | Should -Match 'pwsh' -Because 'the signal must reach PowerShell itself'
            $clock = [Diagnostics.Stopwatch]::StartNew()
            & kill -TERM $runner
            Wait-ProcessGone -Id $runner -Seconds 5 | Should -BeTrue -Because 'a service stop ends the watch'
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 2.5
            $process.WaitForExit(5000) | Should -BeTrue -Because 'the launcher ends with the watch it ran'

            # Stopped, not killed: the cmdlet ended its run and said why before the process went (on .NET 10 the
            # runtime no longer turns SIGTERM into ProcessExit, so this needs DanePS's own SIGTERM handler).
            $process.StandardOutput.ReadToEnd() | Should -Match 'Stopped by a termination signal \(SIGTERM'
            $state = Get-Content -LiteralPath (Join-Path $TestDrive 'watch-signal-state.json') -Raw | ConvertFrom-Json
            @($state.incidents).endpoint | Should -Be "$($world.Situations.OnlyJunk):25"
        }
        finally {
            if ($runner -and $runner -ne $process.Id) { & kill -KILL $runner 2>$null }
            if (-not $process.HasExited) { $process.Kill($true) }
        }
    }
}

Describe 'Invoke-DaneMonitor with a TLS-RPT mailbox, piped to ConvertTo-DaneReport' {
    BeforeAll {
        $env:DANEPS_PESTER_IMAP_PASSWORD = $world.ReportMailbox.Password
        $settings = @{
            Endpoints     = @($world.Situations.OnlyJunk, $world.Hosts.Pass)
            Dns           = @{ Server = $world.Resolver }
            Checks        = @{ TimeoutSec = 5 }
            TlsRptMailbox = @{
                Server               = $world.ReportMailbox.Host
                Port                 = $world.ReportMailbox.ImapsPort
                UserName             = $world.ReportMailbox.UserName
                Password             = 'env:DANEPS_PESTER_IMAP_PASSWORD'
                SkipCertificateCheck = $true
            }
        }
    }

    AfterAll {
        Remove-Item Env:\DANEPS_PESTER_IMAP_PASSWORD -ErrorAction SilentlyContinue
    }

    It 'makes a Prometheus report of the results alone: the TLS-RPT summaries and the run summary are passed over' {
        $report = Invoke-DaneMonitor -Settings $settings -OutVariable run -WarningAction SilentlyContinue -ErrorVariable problems |
            ConvertTo-DaneReport -Format Prometheus -ErrorVariable +problems
        $problems | Should -BeNullOrEmpty

        # The run read the mailbox: its summaries came before the run's summary.
        $summary = $run[-1]
        $summary.PSObject.TypeNames[0] | Should -Be 'DanePS.Engine.Monitoring.MonitorSummary'
        $reported = @($run | Where-Object { $_.PSObject.TypeNames[0] -eq 'DanePS.Engine.TlsRpt.TlsRptSummary' })
        $reported.Count | Should -BeGreaterThan 0
        $summary.TlsRptSummaries | Should -Be $reported.Count
        $summary.TlsRptReports | Should -Be $world.ReportMailbox.Reports
        $summary.TlsRptError | Should -BeNullOrEmpty
        $summary.ExitCode | Should -Be 2   # onlyjunk fails

        # The report is over the endpoint results, exactly as if they alone were piped in.
        $results = @($run | Where-Object { $_.PSObject.TypeNames[0] -eq 'DanePS.Engine.Checking.DaneEndpointResult' })
        $alone = $results | ConvertTo-DaneReport -Format Prometheus
        $report.ExitCode | Should -Be $alone.ExitCode
        $report.ExitCode | Should -Be 2
        # The same samples, but for the time of making (the report's timestamp gauge).
        $samples = { param($text) @("$text" -split "`n" | Where-Object { $_ -match '^dane_(endpoint|tlsa|mail_domain)_' }) }
        (& $samples $report) | Should -Be (& $samples $alone)
        "$report" | Should -Match ('dane_endpoint_verdict\{mail_domain="",host="' + [regex]::Escape($world.Situations.OnlyJunk) + '",port="25",address="[0-9.]+",public_key="[^"]+",verdict="Fail"\} 1')
        "$report" | Should -Not -Match 'tlsa-invalid'
    }

    It 'lists the mailbox under -WhatIf and reads nothing' {
        # Without SkipCertificateCheck, a connection would fail TLS and write an error: -WhatIf makes none.
        $mailbox = "TlsRptMailbox = @{ Server = '$($world.ReportMailbox.Host)'; Port = $($world.ReportMailbox.ImapsPort); UserName = '$($world.ReportMailbox.UserName)'; Password = 'env:DANEPS_PESTER_IMAP_PASSWORD' }"
        $file = New-Settings 'tlsrpt-whatif.psd1' @($world.Hosts.Pass) @() -Extra $mailbox
        $run = Invoke-Scheduled @('-Command', "Invoke-DaneMonitor -Path '$file' -WhatIf")
        $run.Output | Should -Match ([regex]::Escape("on target `"TLS-RPT mailbox imap://$($world.ReportMailbox.UserName)@$($world.ReportMailbox.Host):$($world.ReportMailbox.ImapsPort)/INBOX (ImplicitTls)`""))
        $run.Output | Should -Not -Match 'TlsRptMailboxUnavailable'
        $run.Output | Should -Not -Match ([regex]::Escape($world.ReportMailbox.Password))
        $run.ExitCode | Should -Be 0
    }
}
