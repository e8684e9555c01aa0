#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# ConvertTo-DaneReport against the fixture world, in the real pwsh: the Prometheus file node_exporter's textfile
# collector reads (written atomically, checked by promtool), and docs/examples/check_dane.ps1 run as Nagios or Icinga
# runs a plugin (a new pwsh -File; its standard output and exit code are the result).

BeforeAll {
    $manifest = Join-Path $PSScriptRoot '..' '..' 'artifacts' 'DanePS' 'DanePS.psd1'
    $checkDane = (Resolve-Path (Join-Path $PSScriptRoot '..' '..' 'docs' 'examples' 'check_dane.ps1')).ProviderPath
    Import-Module $manifest -Force
    . (Join-Path $PSScriptRoot 'FixtureWorld.ps1')
    $world = Start-FixtureWorld
    $resolver = $world.Resolver
    $pwsh = (Get-Command -Name pwsh -CommandType Application | Select-Object -First 1).Source
    # The plugin imports DanePS by name, as it would from an installed module path.
    $savedModulePath = $env:PSModulePath
    $env:PSModulePath = (Split-Path (Split-Path $manifest)) + [IO.Path]::PathSeparator + $env:PSModulePath

    function Invoke-CheckDane([string[]] $Arguments) {
        $output = & $pwsh -NoProfile -NonInteractive -File $checkDane @Arguments 2>$null
        [pscustomobject]@{ Lines = @($output); ExitCode = $LASTEXITCODE }
    }
}

AfterAll {
    if ($null -ne $savedModulePath) { $env:PSModulePath = $savedModulePath }
    if ($world) { Stop-FixtureWorld -World $world }
}

Describe 'ConvertTo-DaneReport -Format Prometheus -Path, for the textfile collector' {
    BeforeAll {
        $results = Test-DaneMailDomain $world.MailDomains.Pass, $world.MailDomains.Fail -Server $resolver -WarningAction SilentlyContinue
    }

    It 'writes metrics promtool accepts, with a verdict gauge per endpoint' {
        $file = Join-Path $TestDrive 'dane.prom'
        $results | ConvertTo-DaneReport -Format Prometheus -Path $file | Should -BeNullOrEmpty
        $text = Get-Content -LiteralPath $file -Raw
        $text | Should -Match ('dane_mail_domain_verdict\{mail_domain="' + [regex]::Escape($world.MailDomains.Fail) + '",verdict="Fail"\} 1')
        $text | Should -Match 'dane_endpoint_verdict\{mail_domain="mixedmail.test",host="stalemx.dane.test",port="25",address="[0-9.]+",public_key="[^"]+",verdict="Fail"\} 1'
        $promtool = Get-Command -Name promtool -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if ($promtool) {
            $lint = Get-Content -LiteralPath $file -Raw | & $promtool.Source check metrics 2>&1
            $LASTEXITCODE | Should -Be 0 -Because "promtool check metrics said: $lint"
        }
    }

    It 'is never seen half-written by a reader polling it, and leaves no temporary file' {
        $folder = Join-Path $TestDrive 'textfile'
        New-Item -ItemType Directory -Path $folder | Out-Null
        $file = Join-Path $folder 'dane.prom'
        $stop = Join-Path $TestDrive 'stop'
        $results | ConvertTo-DaneReport -Format Prometheus -Path $file

        # The collector's view: read the whole file again and again while it is rewritten. A complete file ends with
        # the last family's last sample and a line feed; half a file does not.
        $reader = [powershell]::Create().AddScript({
                param($File, $Stop)
                $reads = 0; $partial = @()
                while (-not [IO.File]::Exists($Stop)) {
                    $text = [IO.File]::ReadAllText($File)
                    $reads++
                    if ($text -notmatch '\ndane_mail_domain_verdict\{[^\n]*\} [01]\n$') { $partial += $text.Length }
                }
                [pscustomobject]@{ Reads = $reads; Partial = $partial }
            }).AddArgument($file).AddArgument($stop)
        $running = $reader.BeginInvoke()
        try {
            for ($i = 0; $i -lt 30; $i++) {
                $results | ConvertTo-DaneReport -Format Prometheus -Path $file
            }
        }
        finally {
            New-Item -ItemType File -Path $stop | Out-Null
            $seen = $reader.EndInvoke($running)
            $reader.Dispose()
        }

        $seen.Reads | Should -BeGreaterThan 0
        $seen.Partial | Should -BeNullOrEmpty
        (Get-ChildItem -LiteralPath $folder -Force).Name | Should -Be 'dane.prom'
    }

    It 'writes nothing, and leaves nothing, where the file cannot be written' {
        $file = Join-Path $TestDrive 'no-such-folder' 'dane.prom'
        $results | ConvertTo-DaneReport -Format Prometheus -Path $file -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'ConvertToDaneReportWriteFailed,DanePS.Commands.ConvertToDaneReportCommand'
        Test-Path -LiteralPath (Join-Path $TestDrive 'no-such-folder') | Should -BeFalse
    }
}

Describe 'docs/examples/check_dane.ps1, run as a Nagios plugin' {
    It 'says CRITICAL with exit code 2 for a domain with a stale MX, with perfdata and the fix' {
        $run = Invoke-CheckDane @('-MailDomain', $world.MailDomains.Fail, '-Server', $resolver)
        $run.ExitCode | Should -Be 2
        $run.Lines[0] | Should -Match '^DANE CRITICAL - [^|]+ \| endpoints=[0-9]+;;;0 pass='
        ($run.Lines | Where-Object { $_ -like '`[CRITICAL`] stalemx.dane.test:25*' }) | Should -Match 'Publish: _25\._tcp\.stalemx\.dane\.test\. IN TLSA 3 1 1 [0-9A-F]{64}$'
    }

    It 'says OK with exit code 0 for a domain whose every MX host passes' {
        $run = Invoke-CheckDane @('-MailDomain', $world.MailDomains.Pass, '-Server', $resolver)
        $run.Lines[0] | Should -Match '^DANE OK - '
        $run.ExitCode | Should -Be 0
        $run.Lines | Should -HaveCount 1
    }

    It 'checks one host and port, and says WARNING with exit code 1 for junk next to the good record' {
        $run = Invoke-CheckDane @('-HostName', $world.Situations.Junk, '-Port', '25', '-Server', $resolver)
        $run.Lines[0] | Should -Match '^DANE WARNING - '
        $run.ExitCode | Should -Be 1
    }

    It 'says UNKNOWN with exit code 3, and why, when nothing could be checked' {
        $run = Invoke-CheckDane @('-MailDomain', 'not a domain!', '-Server', $resolver)
        $run.Lines[0] | Should -Match '^DANE UNKNOWN - .*not a domain!'
        $run.ExitCode | Should -Be 3
    }
}
