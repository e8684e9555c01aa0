#Requires -Modules DanePS
# The classic hourly DANE monitor: check a mail host's SMTP (25) and HTTPS (443) as a client would. Failures go to
# e-mail and Telegram, warnings (junk next to the good record) to e-mail only; each incident once an hour, and once
# more when it is resolved. Run it from cron as often as you like: `pwsh -NoProfile -File hourly-dane-check.ps1`.
# Quiet unless a channel fails (that error reaches cron's mail); pipe to Export-Csv instead of Out-Null for a log.
param(
    [string] $HostName = 'mail.example.com',
    [string] $SmtpServer = 'smtp.example.com', [int] $SmtpPort = 587, [string] $To = 'ops@example.com',
    [pscredential] $SmtpCredential = (Import-Clixml ~/.daneps/smtp-credential.xml),
    [securestring] $BotToken = (Import-Clixml ~/.daneps/telegram-token.xml), [string] $ChatId = '1234567890',
    [uri] $TelegramBaseAddress = 'https://api.telegram.org/', [string] $StatePath, [string] $Server, [switch] $SkipCertificateCheck
)
$mail = New-DaneAlertChannel -Email -SmtpServer $SmtpServer -SmtpPort $SmtpPort -From "dane@$HostName" -To $To -Credential $SmtpCredential -MinimumSeverity Warning -SkipCertificateCheck:$SkipCertificateCheck
$telegram = New-DaneAlertChannel -Telegram -BotToken $BotToken -ChatId $ChatId -BaseAddress $TelegramBaseAddress
$dns = if ($Server) { @{ Server = $Server } } else { @{} }
$state = if ($StatePath) { @{ StatePath = $StatePath } } else { @{} }
25, 443 | ForEach-Object { Test-DaneEndpoint $HostName -Port $_ @dns -WarningAction SilentlyContinue } | Send-DaneAlert -Channel $mail, $telegram @state | Out-Null
