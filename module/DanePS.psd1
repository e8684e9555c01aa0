@{
    RootModule             = 'DanePS.psm1'
    ModuleVersion          = '0.1.0'
    GUID                   = '90e10e92-80c8-4f7a-9dd6-453eec00ca83'
    Author                 = 'DanePS contributors'
    CompanyName            = 'DanePS'
    Copyright              = '(c) DanePS contributors. MIT License.'
    Description            = 'Keeps DANE deployments honest: reads TLSA records with their DNSSEC status, checks live SMTP/IMAP/POP3/HTTPS servers as a DANE client would (RFC 6698, 7671, 7672), and builds the records to publish.'
    PowerShellVersion      = '5.1'
    CompatiblePSEditions   = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('DanePS.Format.ps1xml')
    TypesToProcess         = @()
    CmdletsToExport        = @(
        'ConvertTo-DaneReport'
        'ConvertTo-TlsaRecord'
        'Get-TlsaRecord'
        'Get-TlsRptReport'
        'Get-ServerSpkiHash'
        'Invoke-DaneMonitor'
        'Invoke-TlsaRollover'
        'New-DaneAlertChannel'
        'New-TlsaProvider'
        'New-TlsaRecord'
        'Publish-TlsaRecord'
        'Send-DaneAlert'
        'Test-DaneEndpoint'
        'Test-DaneMailDomain'
        'Test-TlsaRecord'
        'Unpublish-TlsaRecord'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('DANE', 'TLSA', 'DNSSEC', 'SMTP', 'TLS', 'Certificate', 'Monitoring', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/daneps/DanePS'
            LicenseUri   = 'https://github.com/daneps/DanePS/blob/main/LICENSE'
            ReleaseNotes = 'First release (see CHANGELOG.md): Test-DaneMailDomain, Test-DaneEndpoint, Get-TlsaRecord, Get-ServerSpkiHash, New-TlsaRecord, ConvertTo-TlsaRecord, Test-TlsaRecord, Send-DaneAlert, New-DaneAlertChannel, New-TlsaProvider, Publish-TlsaRecord, Unpublish-TlsaRecord, Invoke-TlsaRollover, Get-TlsRptReport, ConvertTo-DaneReport, Invoke-DaneMonitor.'
        }
    }
}
