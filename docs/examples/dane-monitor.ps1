#Requires -Modules DanePS
# The one scheduled line, as a script for Task Scheduler, cron, systemd and runbooks: one DANE watch from a settings
# file, its summary's exit code as the process exit code (0 all pass, 1 warnings, 2 failures, 3 could not run).
#   pwsh -NoProfile -NonInteractive -File dane-monitor.ps1 -Path /etc/daneps/monitor.psd1
param(
    [string] $Path = (Join-Path $PSScriptRoot 'monitor.psd1')
)

exit (Invoke-DaneMonitor -Path $Path | Select-Object -Last 1).ExitCode
