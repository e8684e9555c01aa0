#!/usr/bin/env pwsh
#Requires -Modules DanePS
<#
.SYNOPSIS
    certbot deploy hook, scheme "publish, wait, reload": roll the TLSA records of the mail host over to the key of
    the certificate certbot has just written, then reload the servers.

.DESCRIPTION
    certbot runs deploy hooks after a successful renewal, with RENEWED_LINEAGE set to the live folder
    (/etc/letsencrypt/live/mail.example.com). Nothing reloads the servers before this hook does, so the old key
    stays in service until the new key's records are published and cached everywhere.

    Install:  certbot renew --deploy-hook /etc/dane/certbot-deploy-hook.ps1
    or put it in /etc/letsencrypt/renewal-hooks/deploy/ (mode 755).

    Safe to run twice (a second run says NothingToDo), from two cron jobs at once (the second is refused by the
    lock), and after a failure (it resumes). It never removes a record that a server still presents.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string] $HostName = 'mail.example.com',
    [int[]] $Port = @(25, 443),
    [string] $Lineage = $env:RENEWED_LINEAGE,
    [string] $Resolver = '127.0.0.1'
)

$ErrorActionPreference = 'Stop'
if (-not $Lineage) { $Lineage = "/etc/letsencrypt/live/$HostName" }

# Cloudflare: an API token with Zone.DNS edit, kept in a SecretManagement vault (never in this file).
$provider = New-TlsaProvider -Cloudflare -ApiToken (Get-Secret -Name CloudflareDnsToken) -Zone example.com

# Or RFC 2136 with a TSIG key (BIND: tsig-keygen -a hmac-sha256 rollover; Knot: keymgr -t rollover):
# $key = [pscredential]::new('rollover', (Get-Secret -Name RolloverTsigSecret))
# $provider = New-TlsaProvider -Rfc2136 -TsigKey $key -Server $Resolver

Invoke-TlsaRollover -HostName $HostName -Port $Port -Provider $provider -Server $Resolver `
    -StagedKeyPath (Join-Path $Lineage 'cert.pem') `
    -ReloadCommand systemctl, reload, postfix, dovecot, nginx `
    -WhatIf:$WhatIfPreference |
    Format-Table -AutoSize -Wrap
