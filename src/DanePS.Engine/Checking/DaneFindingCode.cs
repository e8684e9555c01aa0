namespace DanePS.Engine.Checking;

/// <summary>
/// What a finding is about: the closed set of codes scripts can match on (documented in about_DanePS). A new kind
/// of finding is a new value here, never a free string.
/// </summary>
public enum DaneFindingCode
{
    /// <summary>More TLSA records than the norm (-MaxRecords).</summary>
    TooManyRecords,
    /// <summary>None of the records is usable (for SMTP, PKIX usages are not).</summary>
    NoUsableRecords,
    /// <summary>A PKIX-TA(0) or PKIX-EE(1) record for SMTP, where RFC 7672 makes it unusable.</summary>
    PkixUsageOnSmtp,
    /// <summary>A record with matching type Full(0) instead of a digest.</summary>
    FullDataRecord,
    /// <summary>A DANE-TA record names an issuer the server does not send.</summary>
    TrustAnchorNotSent,
    /// <summary>A record for the next (or previous) key next to the one in use (Information).</summary>
    RolloverInProgress,
    /// <summary>A record that matches nothing any address of the host presents, every address having answered.</summary>
    StaleRecord,
    /// <summary>A record that matches nothing the addresses that answered present, while some could not be compared (Information).</summary>
    NotCompared,
    /// <summary>The server certificate, or a matched DANE-TA trust anchor, has expired.</summary>
    CertificateExpired,
    /// <summary>The server certificate, or a matched DANE-TA trust anchor, expires soon.</summary>
    CertificateExpiring,
    /// <summary>The certificates arrived, but the TLS handshake did not complete.</summary>
    HandshakeIncomplete,
    /// <summary>A warning from the DNS lookup (expiring signatures, an insecure CNAME chain, a failed address lookup).</summary>
    DnsWarning,
    /// <summary>The second handshake, asking for the other key type, failed.</summary>
    KeyTypeProbeFailed,
    /// <summary>The server could not be reached, where DNS had decided the verdict already.</summary>
    Unreachable,
    /// <summary>The mail domain has no MX records; mail goes to the domain itself (Information).</summary>
    ImplicitMx,
    /// <summary>An MX host publishes no usable, secure TLSA records while others do.</summary>
    MxHostWithoutDane,
    /// <summary>An MX host does not exist.</summary>
    MxHostNotFound,
    /// <summary>A DANE mail domain has no valid TLS-RPT record (none, several, or malformed): senders report none of the failures they see.</summary>
    TlsRptMissing,
}
