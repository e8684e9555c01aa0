namespace DanePS.Engine.Matching;

/// <summary>What became of one TLSA record.</summary>
public enum TlsaRecordOutcome
{
    /// <summary>The record authenticates the chain.</summary>
    Matched,
    /// <summary>The record matches nothing the server presented.</summary>
    NoMatch,
    /// <summary>A trust anchor matched, but the leaf does not carry a reference name.</summary>
    NameMismatch,
    /// <summary>A trust anchor matched, but a certificate below it is outside its validity period.</summary>
    CertificateExpired,
    /// <summary>The record would match, but there is no PKIX chain to a trusted root (PKIX usages).</summary>
    NoPkixChain,
    /// <summary>
    /// A trust anchor matched, but the chain up to it breaks a rule OpenSSL's verifier enforces: an issuer that is
    /// not a CA, a path length or name constraint, an unknown critical extension, a purpose other than TLS server.
    /// </summary>
    InvalidChain,
    /// <summary>The leaf's public key cannot be read: no client can complete a handshake with it, whatever DNS says.</summary>
    UnreadableLeafKey,
    /// <summary>PKIX usage under the SMTP profile (RFC 7672 §3.1.3).</summary>
    UnusableForProfile,
    /// <summary>Unassigned usage, selector or matching type.</summary>
    Unusable,
    /// <summary>Association data of the wrong length for its matching type.</summary>
    Malformed,
    /// <summary>A stronger digest is published for the same usage and selector (RFC 7671 §9).</summary>
    SupersededByStrongerDigest,
    /// <summary>The server presented no certificate to compare the record with (it was not reached).</summary>
    NotCompared,
}
