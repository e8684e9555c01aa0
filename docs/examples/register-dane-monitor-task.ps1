#Requires -Modules ScheduledTasks
#Requires -RunAsAdministrator
# Registers Invoke-DaneMonitor as a Windows scheduled task: every 15 minutes, as a group managed service account
# (no password to store or rotate; give it read access to the settings file and write access to the state folder),
# with DanePS loaded from a module folder the account can read. The task's last result is the exit code
# (0 all pass, 1 warnings, 2 failures, 3 could not run), visible in Task Scheduler and to monitoring.
param(
    [string] $SettingsPath = 'C:\ProgramData\DanePS\monitor.psd1',
    [string] $ModulePath = 'C:\Program Files\PowerShell\Modules',   # the folder that holds DanePS\DanePS.psd1
    [string] $ServiceAccount = 'EXAMPLE\svc-daneps$',               # a gMSA (ends in $); or 'NT AUTHORITY\NETWORK SERVICE'
    [TimeSpan] $Every = (New-TimeSpan -Minutes 15),
    [string] $TaskName = 'DanePS monitor'
)

$pwsh = (Get-Command -Name pwsh.exe -CommandType Application | Select-Object -First 1).Source
$command = "`$env:PSModulePath = '$ModulePath;' + `$env:PSModulePath; Import-Module DanePS; " +
    "exit (Invoke-DaneMonitor -Path '$SettingsPath' | Select-Object -Last 1).ExitCode"
$action = New-ScheduledTaskAction -Execute $pwsh -Argument "-NoProfile -NonInteractive -ExecutionPolicy Bypass -Command `"$command`""
$trigger = New-ScheduledTaskTrigger -Once -At (Get-Date).Date -RepetitionInterval $Every
$principal = New-ScheduledTaskPrincipal -UserId $ServiceAccount -LogonType Password -RunLevel Limited
$settings = New-ScheduledTaskSettingsSet -MultipleInstances IgnoreNew -ExecutionTimeLimit (New-TimeSpan -Minutes 30) -StartWhenAvailable
Register-ScheduledTask -TaskName $TaskName -Action $action -Trigger $trigger -Principal $principal -Settings $settings -Force
