#Requires -Modules DanePS
# An Azure Automation runbook (PowerShell 7.2+ runtime, DanePS imported into the Automation account's modules):
# the settings come from an Automation variable (a hashtable in the settings file's schema, as JSON) and the
# secrets from encrypted Automation variables, handed to Invoke-DaneMonitor as SecureStrings; never in the runbook.
# The job fails (and Azure Monitor can alert on it) when the exit code is 2 or 3.
param(
    [string] $SettingsVariable = 'DanePS-Monitor-Settings',
    [string] $WebhookVariable = 'DanePS-Webhook-Url'
)

$settings = Get-AutomationVariable -Name $SettingsVariable | ConvertFrom-Json -AsHashtable
$hook = ConvertTo-SecureString -String (Get-AutomationVariable -Name $WebhookVariable) -AsPlainText -Force
$settings['Alerts'] = @{
    StatePath = Join-Path $env:TEMP 'daneps-alerts.json'   # a sandbox is fresh each job: keep SuppressFor short or use a Hybrid Worker
    Channels  = @(@{ Type = 'Webhook'; Name = 'noc'; WebhookUrl = $hook; MinimumSeverity = 'Warning' })
}

$results = Invoke-DaneMonitor -Settings $settings
$summary = $results | Select-Object -Last 1
$results | Where-Object { $_ -ne $summary -and $_.Verdict -ne 'Pass' } | Format-Table -AutoSize | Out-String | Write-Output
Write-Output $summary
if ($summary.ExitCode -ge 2) {
    throw "DANE monitor: $summary"
}
