# A DANE watch for Invoke-DaneMonitor (schema: Get-Help about_DanePS, "Monitor settings").
# Data only: read by Import-PowerShellDataFile's rules, nothing in it runs. Secrets are never written here:
# 'env:NAME' reads an environment variable, 'secret:Name' or 'secret:Vault/Name' a SecretManagement vault.
@{
    # Endpoints: 'host' (port 25), 'host:port', or a table with HostName, Port and StartTls
    # (Auto by the port, ImplicitTls, Smtp, Imap, Pop3).
    Endpoints   = @(
        'mx1.example.com'
        'mail.example.com:465'
        @{ HostName = 'mail.example.com'; Port = 993 }
        @{ HostName = 'mail.example.com'; Port = 143; StartTls = 'Imap' }
    )

    # Mail domains: every MX host, every address and key type, as a sending MTA checks them.
    MailDomains = @('example.com', 'example.org')

    Dns         = @{
        Server           = @('127.0.0.1')   # a validating resolver you trust, ideally on this machine
        TimeoutSec       = 3
        Retries          = 2
        DnssecValidation = 'Auto'           # Auto | Resolver | Local
        # TrustAnchorPath = 'root.anchor'   # other anchors (a private root), as -TrustAnchorPath; beside this file
    }

    Checks      = @{
        TimeoutSec    = 30                  # per connection
        ThrottleLimit = 16                  # targets checked at once
    }

    Thresholds  = @{
        MaxRecords            = 2           # warn above this many TLSA records
        CertificateExpiryDays = 21          # warn when a certificate expires sooner
        RrsigExpiryDays       = 7           # warn when TLSA signatures expire sooner
    }

    Alerts      = @{
        StatePath   = 'dane-alert-state.json'   # relative paths are beside this file
        SuppressFor = '01:00:00'                # the same fault once an hour at most
        Channels    = @(
            @{ Type = 'Telegram'; Name = 'ops-chat'; BotToken = 'env:DANE_TELEGRAM_TOKEN'; ChatId = -1001234567890 }
            @{ Type = 'Webhook'; Name = 'noc'; WebhookUrl = 'env:DANE_WEBHOOK_URL'; MinimumSeverity = 'Warning' }
            @{
                Type = 'Email'; Name = 'postmaster'; MinimumSeverity = 'Failure'
                SmtpServer = 'smtp.example.com'; SmtpPort = 587; From = 'dane-monitor@example.com'; To = @('postmaster@example.com')
                UserName = 'dane-monitor'; Password = 'env:DANE_SMTP_PASSWORD'
            }
        )
    }

    # The mailbox TLS-RPT reports (RFC 8460) arrive in: read in every run, its failures alerted once per incident.
    # TlsRptMailbox = @{
    #     Server = 'imap.example.com'; UserName = 'tls-reports'; Password = 'env:DANE_TLSRPT_PASSWORD'
    #     Folder = 'INBOX'; SinceDays = 2
    # }
}
