using System;
using DanePS.Engine.Dns;
using DanePS.Engine.Tls;

namespace DanePS;

/// <summary>
/// Stable ErrorIds: scripts match on these, so they never change once released. Every ErrorId DanePS writes is a
/// constant here (the help tests check each one against the cmdlet's help), none is built from an enum's name.
/// </summary>
internal static class ErrorIds
{
    public const string ConvertToTlsaRecordInvalidFormat = nameof(ConvertToTlsaRecordInvalidFormat);

    public const string NewTlsaRecordFileNotFound = nameof(NewTlsaRecordFileNotFound);
    public const string NewTlsaRecordInvalidCertificate = nameof(NewTlsaRecordInvalidCertificate);
    public const string NewTlsaRecordInvalidKey = nameof(NewTlsaRecordInvalidKey);
    public const string NewTlsaRecordDepthOutOfRange = nameof(NewTlsaRecordDepthOutOfRange);
    public const string NewTlsaRecordSelectorNeedsCertificate = nameof(NewTlsaRecordSelectorNeedsCertificate);
    public const string NewTlsaRecordInvalidParameter = nameof(NewTlsaRecordInvalidParameter);
    public const string NewTlsaRecordNotAFile = nameof(NewTlsaRecordNotAFile);
    public const string NewTlsaRecordFileUnreadable = nameof(NewTlsaRecordFileUnreadable);
    public const string NewTlsaRecordInvalidHostName = nameof(NewTlsaRecordInvalidHostName);

    public const string GetServerSpkiHashFileNotFound = nameof(GetServerSpkiHashFileNotFound);
    public const string GetServerSpkiHashInvalidCertificate = nameof(GetServerSpkiHashInvalidCertificate);
    public const string GetServerSpkiHashNotAFile = nameof(GetServerSpkiHashNotAFile);
    public const string GetServerSpkiHashFileUnreadable = nameof(GetServerSpkiHashFileUnreadable);
    public const string GetServerSpkiHashInvalidHostName = nameof(GetServerSpkiHashInvalidHostName);

    public const string TestDaneEndpointNoSuchDomain = nameof(TestDaneEndpointNoSuchDomain);

    public const string TestTlsaRecordFileNotFound = nameof(TestTlsaRecordFileNotFound);
    public const string TestTlsaRecordInvalidCertificate = nameof(TestTlsaRecordInvalidCertificate);
    public const string TestTlsaRecordNoChain = nameof(TestTlsaRecordNoChain);
    public const string TestTlsaRecordNoRecords = nameof(TestTlsaRecordNoRecords);
    public const string TestTlsaRecordNotAFile = nameof(TestTlsaRecordNotAFile);
    public const string TestTlsaRecordFileUnreadable = nameof(TestTlsaRecordFileUnreadable);
    public const string TestTlsaRecordInvalidHostName = nameof(TestTlsaRecordInvalidHostName);

    public const string GetTlsaRecordInvalidHostName = nameof(GetTlsaRecordInvalidHostName);
    public const string GetTlsaRecordInvalidDomain = nameof(GetTlsaRecordInvalidDomain);

    public const string TestDaneEndpointInvalidHostName = nameof(TestDaneEndpointInvalidHostName);
    public const string TestDaneMailDomainInvalidDomain = nameof(TestDaneMailDomainInvalidDomain);

    // Failures of the DNS-reading cmdlets' resolver set-up, one pair per cmdlet.
    public const string GetTlsaRecordInvalidServer = nameof(GetTlsaRecordInvalidServer);
    public const string GetTlsaRecordResolverNotAnswering = nameof(GetTlsaRecordResolverNotAnswering);
    public const string TestDaneEndpointInvalidServer = nameof(TestDaneEndpointInvalidServer);
    public const string TestDaneEndpointResolverNotAnswering = nameof(TestDaneEndpointResolverNotAnswering);
    public const string TestDaneMailDomainInvalidServer = nameof(TestDaneMailDomainInvalidServer);
    public const string TestDaneMailDomainResolverNotAnswering = nameof(TestDaneMailDomainResolverNotAnswering);
    public const string GetServerSpkiHashInvalidServer = nameof(GetServerSpkiHashInvalidServer);
    public const string GetServerSpkiHashResolverNotAnswering = nameof(GetServerSpkiHashResolverNotAnswering);
    public const string InvokeTlsaRolloverInvalidServer = nameof(InvokeTlsaRolloverInvalidServer);
    public const string InvokeTlsaRolloverResolverNotAnswering = nameof(InvokeTlsaRolloverResolverNotAnswering);

    // -TrustAnchorPath of the DNS-reading cmdlets: no such file, a file that cannot be read, no usable DS or DNSKEY
    // records in it. One triple per cmdlet, named <cmdlet prefix of its InvalidServer ErrorId> + the failure.
    public const string GetTlsaRecordTrustAnchorNotFound = nameof(GetTlsaRecordTrustAnchorNotFound);
    public const string GetTlsaRecordTrustAnchorUnreadable = nameof(GetTlsaRecordTrustAnchorUnreadable);
    public const string GetTlsaRecordInvalidTrustAnchor = nameof(GetTlsaRecordInvalidTrustAnchor);
    public const string TestDaneEndpointTrustAnchorNotFound = nameof(TestDaneEndpointTrustAnchorNotFound);
    public const string TestDaneEndpointTrustAnchorUnreadable = nameof(TestDaneEndpointTrustAnchorUnreadable);
    public const string TestDaneEndpointInvalidTrustAnchor = nameof(TestDaneEndpointInvalidTrustAnchor);
    public const string TestDaneMailDomainTrustAnchorNotFound = nameof(TestDaneMailDomainTrustAnchorNotFound);
    public const string TestDaneMailDomainTrustAnchorUnreadable = nameof(TestDaneMailDomainTrustAnchorUnreadable);
    public const string TestDaneMailDomainInvalidTrustAnchor = nameof(TestDaneMailDomainInvalidTrustAnchor);
    public const string GetServerSpkiHashTrustAnchorNotFound = nameof(GetServerSpkiHashTrustAnchorNotFound);
    public const string GetServerSpkiHashTrustAnchorUnreadable = nameof(GetServerSpkiHashTrustAnchorUnreadable);
    public const string GetServerSpkiHashInvalidTrustAnchor = nameof(GetServerSpkiHashInvalidTrustAnchor);
    public const string InvokeTlsaRolloverTrustAnchorNotFound = nameof(InvokeTlsaRolloverTrustAnchorNotFound);
    public const string InvokeTlsaRolloverTrustAnchorUnreadable = nameof(InvokeTlsaRolloverTrustAnchorUnreadable);
    public const string InvokeTlsaRolloverInvalidTrustAnchor = nameof(InvokeTlsaRolloverInvalidTrustAnchor);


    // A check that stopped on an unexpected error, and a mail domain that does not exist.
    public const string TestDaneEndpointCheckFailed = nameof(TestDaneEndpointCheckFailed);
    public const string TestDaneMailDomainCheckFailed = nameof(TestDaneMailDomainCheckFailed);
    public const string TestDaneMailDomainNoSuchDomain = nameof(TestDaneMailDomainNoSuchDomain);

    // Get-TlsaRecord: a lookup without a trustworthy answer, one ErrorId per DnsFailure.
    public const string GetTlsaRecordTimeout = nameof(GetTlsaRecordTimeout);
    public const string GetTlsaRecordServerFailure = nameof(GetTlsaRecordServerFailure);
    public const string GetTlsaRecordBogus = nameof(GetTlsaRecordBogus);
    public const string GetTlsaRecordIndeterminate = nameof(GetTlsaRecordIndeterminate);
    public const string GetTlsaRecordRefused = nameof(GetTlsaRecordRefused);
    public const string GetTlsaRecordNoSuchDomain = nameof(GetTlsaRecordNoSuchDomain);
    public const string GetTlsaRecordNullMx = nameof(GetTlsaRecordNullMx);
    public const string GetTlsaRecordTransport = nameof(GetTlsaRecordTransport);
    public const string GetTlsaRecordMalformedResponse = nameof(GetTlsaRecordMalformedResponse);
    public const string GetTlsaRecordMismatchedResponse = nameof(GetTlsaRecordMismatchedResponse);
    public const string GetTlsaRecordResolverRemovesDnssec = nameof(GetTlsaRecordResolverRemovesDnssec);

    // Get-ServerSpkiHash: a server that gave no chain, one ErrorId per TlsProbeFailure.
    public const string GetServerSpkiHashNameResolution = nameof(GetServerSpkiHashNameResolution);
    public const string GetServerSpkiHashConnectionRefused = nameof(GetServerSpkiHashConnectionRefused);
    public const string GetServerSpkiHashConnectTimeout = nameof(GetServerSpkiHashConnectTimeout);
    public const string GetServerSpkiHashTimeout = nameof(GetServerSpkiHashTimeout);
    public const string GetServerSpkiHashConnectionClosed = nameof(GetServerSpkiHashConnectionClosed);
    public const string GetServerSpkiHashProtocolError = nameof(GetServerSpkiHashProtocolError);
    public const string GetServerSpkiHashResponseTooLarge = nameof(GetServerSpkiHashResponseTooLarge);
    public const string GetServerSpkiHashServiceRefused = nameof(GetServerSpkiHashServiceRefused);
    public const string GetServerSpkiHashStartTlsNotOffered = nameof(GetServerSpkiHashStartTlsNotOffered);
    public const string GetServerSpkiHashStartTlsRefused = nameof(GetServerSpkiHashStartTlsRefused);
    public const string GetServerSpkiHashHandshakeFailed = nameof(GetServerSpkiHashHandshakeFailed);
    public const string GetServerSpkiHashNetworkError = nameof(GetServerSpkiHashNetworkError);

    /// <summary>Get-TlsaRecord's ErrorId for a failed lookup.</summary>
    public static string GetTlsaRecordFailure(DnsFailure failure) => failure switch
    {
        DnsFailure.Timeout => GetTlsaRecordTimeout,
        DnsFailure.ServerFailure => GetTlsaRecordServerFailure,
        DnsFailure.Bogus => GetTlsaRecordBogus,
        DnsFailure.Indeterminate => GetTlsaRecordIndeterminate,
        DnsFailure.Refused => GetTlsaRecordRefused,
        DnsFailure.NoSuchDomain => GetTlsaRecordNoSuchDomain,
        DnsFailure.NullMx => GetTlsaRecordNullMx,
        DnsFailure.Transport => GetTlsaRecordTransport,
        DnsFailure.MalformedResponse => GetTlsaRecordMalformedResponse,
        DnsFailure.MismatchedResponse => GetTlsaRecordMismatchedResponse,
        DnsFailure.ResolverRemovesDnssec => GetTlsaRecordResolverRemovesDnssec,
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, "A DnsFailure without an ErrorId."),
    };

    /// <summary>Get-ServerSpkiHash's ErrorId for a failed probe.</summary>
    public static string GetServerSpkiHashFailure(TlsProbeFailure failure) => failure switch
    {
        TlsProbeFailure.NameResolution => GetServerSpkiHashNameResolution,
        TlsProbeFailure.ConnectionRefused => GetServerSpkiHashConnectionRefused,
        TlsProbeFailure.ConnectTimeout => GetServerSpkiHashConnectTimeout,
        TlsProbeFailure.Timeout => GetServerSpkiHashTimeout,
        TlsProbeFailure.ConnectionClosed => GetServerSpkiHashConnectionClosed,
        TlsProbeFailure.ProtocolError => GetServerSpkiHashProtocolError,
        TlsProbeFailure.ResponseTooLarge => GetServerSpkiHashResponseTooLarge,
        TlsProbeFailure.ServiceRefused => GetServerSpkiHashServiceRefused,
        TlsProbeFailure.StartTlsNotOffered => GetServerSpkiHashStartTlsNotOffered,
        TlsProbeFailure.StartTlsRefused => GetServerSpkiHashStartTlsRefused,
        TlsProbeFailure.HandshakeFailed => GetServerSpkiHashHandshakeFailed,
        TlsProbeFailure.NetworkError => GetServerSpkiHashNetworkError,
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, "A TlsProbeFailure without an ErrorId."),
    };

    public const string NewDaneAlertChannelInvalidParameter = nameof(NewDaneAlertChannelInvalidParameter);

    public const string SendDaneAlertUnsupportedInput = nameof(SendDaneAlertUnsupportedInput);
    public const string SendDaneAlertDuplicateChannel = nameof(SendDaneAlertDuplicateChannel);
    public const string SendDaneAlertInvalidParameter = nameof(SendDaneAlertInvalidParameter);
    public const string SendDaneAlertStateLocked = nameof(SendDaneAlertStateLocked);
    public const string SendDaneAlertStateUnavailable = nameof(SendDaneAlertStateUnavailable);
    public const string SendDaneAlertDeliveryFailed = nameof(SendDaneAlertDeliveryFailed);

    public const string InvokeDaneMonitorInvalidSettings = nameof(InvokeDaneMonitorInvalidSettings);
    public const string InvokeDaneMonitorFileNotFound = nameof(InvokeDaneMonitorFileNotFound);
    public const string InvokeDaneMonitorNotAFile = nameof(InvokeDaneMonitorNotAFile);
    public const string InvokeDaneMonitorFileUnreadable = nameof(InvokeDaneMonitorFileUnreadable);
    public const string InvokeDaneMonitorInvalidParameter = nameof(InvokeDaneMonitorInvalidParameter);
    public const string InvokeDaneMonitorNoSuchDomain = nameof(InvokeDaneMonitorNoSuchDomain);
    public const string InvokeDaneMonitorCheckFailed = nameof(InvokeDaneMonitorCheckFailed);
    public const string InvokeDaneMonitorResolverNotAnswering = nameof(InvokeDaneMonitorResolverNotAnswering);
    public const string InvokeDaneMonitorAlertFailed = nameof(InvokeDaneMonitorAlertFailed);
    public const string InvokeDaneMonitorStateLocked = nameof(InvokeDaneMonitorStateLocked);
    public const string InvokeDaneMonitorStateUnavailable = nameof(InvokeDaneMonitorStateUnavailable);
    public const string InvokeDaneMonitorTlsRptMailboxUnavailable = nameof(InvokeDaneMonitorTlsRptMailboxUnavailable);
    public const string InvokeDaneMonitorTlsRptLoginFailed = nameof(InvokeDaneMonitorTlsRptLoginFailed);

    public const string NewTlsaProviderInvalidParameter = nameof(NewTlsaProviderInvalidParameter);

    public const string PublishTlsaRecordNoOwnerName = nameof(PublishTlsaRecordNoOwnerName);
    public const string PublishTlsaRecordProviderFailed = nameof(PublishTlsaRecordProviderFailed);
    public const string PublishTlsaRecordInvalidHostName = nameof(PublishTlsaRecordInvalidHostName);

    public const string UnpublishTlsaRecordNoOwnerName = nameof(UnpublishTlsaRecordNoOwnerName);
    public const string UnpublishTlsaRecordProviderFailed = nameof(UnpublishTlsaRecordProviderFailed);
    public const string UnpublishTlsaRecordInvalidHostName = nameof(UnpublishTlsaRecordInvalidHostName);

    public const string InvokeTlsaRolloverInvalidHostName = nameof(InvokeTlsaRolloverInvalidHostName);
    public const string InvokeTlsaRolloverInvalidStagedKey = nameof(InvokeTlsaRolloverInvalidStagedKey);
    public const string InvokeTlsaRolloverLocked = nameof(InvokeTlsaRolloverLocked);
    public const string InvokeTlsaRolloverPropagationTimeout = nameof(InvokeTlsaRolloverPropagationTimeout);
    public const string InvokeTlsaRolloverReloadFailed = nameof(InvokeTlsaRolloverReloadFailed);
    public const string InvokeTlsaRolloverVerificationFailed = nameof(InvokeTlsaRolloverVerificationFailed);
    public const string InvokeTlsaRolloverObservationFailed = nameof(InvokeTlsaRolloverObservationFailed);
    public const string InvokeTlsaRolloverProviderFailed = nameof(InvokeTlsaRolloverProviderFailed);

    public const string GetTlsRptReportFileNotFound = nameof(GetTlsRptReportFileNotFound);
    public const string GetTlsRptReportNotAFile = nameof(GetTlsRptReportNotAFile);
    public const string GetTlsRptReportFileUnreadable = nameof(GetTlsRptReportFileUnreadable);
    public const string GetTlsRptReportInvalidJson = nameof(GetTlsRptReportInvalidJson);
    public const string GetTlsRptReportNotAReport = nameof(GetTlsRptReportNotAReport);
    public const string GetTlsRptReportInvalidGzip = nameof(GetTlsRptReportInvalidGzip);
    public const string GetTlsRptReportTooLarge = nameof(GetTlsRptReportTooLarge);
    public const string GetTlsRptReportTooManyEntries = nameof(GetTlsRptReportTooManyEntries);
    public const string GetTlsRptReportNoReportInMessage = nameof(GetTlsRptReportNoReportInMessage);
    public const string GetTlsRptReportUnsupportedFormat = nameof(GetTlsRptReportUnsupportedFormat);
    public const string GetTlsRptReportMailboxUnavailable = nameof(GetTlsRptReportMailboxUnavailable);
    public const string GetTlsRptReportLoginFailed = nameof(GetTlsRptReportLoginFailed);
    public const string GetTlsRptReportFolderNotFound = nameof(GetTlsRptReportFolderNotFound);
    public const string GetTlsRptReportInvalidParameter = nameof(GetTlsRptReportInvalidParameter);
    public const string ConvertToDaneReportUnsupportedInput = nameof(ConvertToDaneReportUnsupportedInput);
    public const string ConvertToDaneReportNotAFile = nameof(ConvertToDaneReportNotAFile);
    public const string ConvertToDaneReportWriteFailed = nameof(ConvertToDaneReportWriteFailed);
}
