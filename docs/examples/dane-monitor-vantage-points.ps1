#Requires -Version 7.0
# Checks the same settings from several vantage points: locally in parallel runspaces (one per resolver, e.g.
# a local validating resolver and a second one in another network), and on remote hosts over PowerShell remoting
# (SSH or WinRM), where DanePS is installed. A failure seen from only some vantage points points at the network or
# a resolver, not the servers. Each vantage point keeps its own alert state: a channel hears an incident once from
# each vantage point that sees it.
param(
    [string] $SettingsPath = (Join-Path $PSScriptRoot 'monitor.psd1'),
    [string[]] $Resolver = @('127.0.0.1', '192.0.2.53'),
    [string[]] $RemoteHost = @(),                       # e.g. 'probe-eu.example.com', 'probe-us.example.com'
    [int] $ThrottleLimit = 4
)

$settings = Import-PowerShellDataFile -LiteralPath $SettingsPath

# Local: one runspace per resolver.
$local = $Resolver | ForEach-Object -ThrottleLimit $ThrottleLimit -Parallel {
    Import-Module DanePS
    $shared = $using:settings
    $mine = $shared.Clone()
    $mine['Dns'] = @{ Server = @($_) }
    if ($mine.Alerts) {
        $alerts = $mine.Alerts.Clone()
        $alerts['StatePath'] = Join-Path ([IO.Path]::GetTempPath()) "daneps-alerts-$($_ -replace '[^0-9A-Za-z]', '-').json"
        $mine['Alerts'] = $alerts
    }
    $summary = Invoke-DaneMonitor -Settings $mine | Select-Object -Last 1
    [pscustomobject]@{ VantagePoint = "resolver $_"; Status = $summary.Status; ExitCode = $summary.ExitCode; Summary = "$summary" }
}

# Remote: the same settings, run where each host is.
$remote = if ($RemoteHost) {
    Invoke-Command -HostName $RemoteHost -ScriptBlock {
        param($Settings)
        Import-Module DanePS
        $summary = Invoke-DaneMonitor -Settings $Settings | Select-Object -Last 1
        [pscustomobject]@{ VantagePoint = $env:HOSTNAME; Status = "$($summary.Status)"; ExitCode = $summary.ExitCode; Summary = "$summary" }
    } -ArgumentList $settings
}

$all = @($local) + @($remote)
$all | Format-Table VantagePoint, Status, ExitCode, Summary -AutoSize
exit ($all.ExitCode | Measure-Object -Maximum).Maximum
