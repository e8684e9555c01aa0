# check_dane: a Nagios/Icinga plugin. Checks a mail domain (every MX host) or one host and port with DANE and prints
# plugin output (status line with perfdata, then a line per endpoint that is not OK); the exit code is the status:
# 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. Icinga 2 CheckCommand / Nagios command line:
#   pwsh -NoProfile -NonInteractive -File /usr/local/lib/nagios/plugins/check_dane.ps1 -MailDomain $HOSTNAME$
# Anything that stops the check (no module, a bad argument, a resolver that does not answer) is UNKNOWN, never OK.
[CmdletBinding(DefaultParameterSetName = 'MailDomain')]
param(
    [Parameter(Mandatory, ParameterSetName = 'MailDomain')] [string] $MailDomain,
    [Parameter(Mandatory, ParameterSetName = 'HostName')] [string] $HostName,
    [Parameter(ParameterSetName = 'HostName')] [int] $Port = 25,
    [string] $Server,
    [int] $TimeoutSec = 10
)
# Nagios reads standard output only; warnings and errors must not get into it.
$WarningPreference = 'SilentlyContinue'
try {
    Import-Module DanePS -ErrorAction Stop
    $dns = @{ TimeoutSec = $TimeoutSec; ErrorAction = 'SilentlyContinue'; ErrorVariable = 'problems' }
    if ($Server) { $dns.Server = $Server }
    $results = if ($MailDomain) { Test-DaneMailDomain -MailDomain $MailDomain @dns } else { Test-DaneEndpoint -HostName $HostName -Port $Port @dns }
    $report = $results | ConvertTo-DaneReport -Format Nagios
    # The report string carries its exit code; nothing checked (3) with an error says why.
    $code = $report.ExitCode
    if ($code -eq 3 -and $problems) { $report = "DANE UNKNOWN - $($problems[0].Exception.Message -replace '[|\r\n]', ' ')" }
}
catch {
    "DANE UNKNOWN - $($_.Exception.Message -replace '[|\r\n]', ' ')"
    exit 3
}
$report
exit $code
