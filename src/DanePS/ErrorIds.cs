namespace DanePS;

/// <summary>Stable ErrorIds: scripts match on these, so they never change once released.</summary>
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

    /// <summary>Prefix for connection failures: the failure kind follows, e.g. GetServerSpkiHashConnectionRefused.</summary>
    public const string GetServerSpkiHashPrefix = "GetServerSpkiHash";

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
}
