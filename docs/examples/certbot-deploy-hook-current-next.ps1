#!/usr/bin/env pwsh
#Requires -Modules DanePS
<#
.SYNOPSIS
    certbot deploy hook, scheme "current + next" (RFC 7671 section 8.1): the next key's record is published long
    before renewal, so at renewal only the reload and the retirement remain, with no waiting.

.DESCRIPTION
    Setup, once per key generation:
      openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out /etc/dane/next.key
      ./certbot-deploy-hook-current-next.ps1 -PublishNextOnly
    Renewal: certbot issues the certificate for the next key, e.g.
      openssl req -new -key /etc/dane/next.key -subj /CN=mail.example.com -out /etc/dane/next.csr
      certbot certonly --csr /etc/dane/next.csr ... --deploy-hook /etc/dane/certbot-deploy-hook-current-next.ps1
    The hook then reloads, verifies and retires the old key's records, makes a new next key and publishes its
    record, so the following renewal is as quick.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string] $HostName = 'mail.example.com',
    [int[]] $Port = @(25, 443),
    [string] $Lineage = $env:RENEWED_LINEAGE,
    [string] $NextKey = '/etc/dane/next.key',
    [string] $Resolver = '127.0.0.1',
    [switch] $PublishNextOnly
)

$ErrorActionPreference = 'Stop'
if (-not $Lineage) { $Lineage = "/etc/letsencrypt/live/$HostName" }
$provider = New-TlsaProvider -Cloudflare -ApiToken (Get-Secret -Name CloudflareDnsToken) -Zone example.com

function Publish-NextKey {
    foreach ($p in $Port) {
        New-TlsaRecord -PublicKeyPath $NextKey -HostName $HostName -Port $p |
            Publish-TlsaRecord -Provider $provider -WhatIf:$WhatIfPreference
    }
}

if ($PublishNextOnly) {
    Publish-NextKey
    return
}

# The certificate is for the key whose record has been published for weeks: the rollover finds it published and
# served by every authoritative server, skips the cache wait, reloads, verifies and retires the old records.
Invoke-TlsaRollover -HostName $HostName -Port $Port -Provider $provider -Server $Resolver `
    -StagedKeyPath (Join-Path $Lineage 'cert.pem') `
    -ReloadCommand systemctl, reload, postfix, dovecot, nginx `
    -WhatIf:$WhatIfPreference

if (-not $WhatIfPreference) {
    # The key now in service was "next"; make the following one and publish it beside the current record.
    Move-Item -LiteralPath $NextKey -Destination "$NextKey.in-service" -Force
    & openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out $NextKey
    if ($LASTEXITCODE -ne 0) { throw "openssl could not make the next key (exit $LASTEXITCODE)." }
    Publish-NextKey
}
