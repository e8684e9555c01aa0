namespace DanePS.Engine.TlsRpt;

/// <summary>What a mail domain's TLS-RPT record (<c>_smtp._tls.&lt;domain&gt;</c> TXT, RFC 8460 §3) is.</summary>
public enum TlsRptRecordStatus
{
    /// <summary>Not looked up.</summary>
    NotChecked,

    /// <summary>Exactly one record starting with v=TLSRPTv1, with a rua= of mailto: or https: URIs.</summary>
    Valid,

    /// <summary>No TXT record starting with v=TLSRPTv1: senders send no reports.</summary>
    NotPublished,

    /// <summary>More than one record starting with v=TLSRPTv1: senders must treat the domain as having none (RFC 8460 §3).</summary>
    Multiple,

    /// <summary>One record starting with v=TLSRPTv1 that does not parse (no rua=, or a URI that is neither mailto: nor https:).</summary>
    Malformed,

    /// <summary>The lookup failed (timeout, SERVFAIL, bogus): whether a record exists cannot be told.</summary>
    LookupFailed,
}
