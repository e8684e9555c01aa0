namespace DanePS.Engine.Tlsa;

/// <summary>TLSA certificate usage (RFC 6698 §2.1.1, mnemonics from RFC 7218).</summary>
public enum TlsaUsage : byte
{
    /// <summary>PKIX-TA(0): CA constraint, needs a PKIX chain to a trusted root.</summary>
    PkixTa = 0,
    /// <summary>PKIX-EE(1): service certificate constraint, needs a PKIX chain.</summary>
    PkixEe = 1,
    /// <summary>DANE-TA(2): trust anchor assertion.</summary>
    DaneTa = 2,
    /// <summary>DANE-EE(3): domain-issued certificate.</summary>
    DaneEe = 3,
    /// <summary>PrivCert(255): private use; never usable by DanePS.</summary>
    PrivCert = 255,
}

/// <summary>TLSA selector (RFC 6698 §2.1.2).</summary>
public enum TlsaSelector : byte
{
    /// <summary>Cert(0): the full certificate (DER).</summary>
    Cert = 0,
    /// <summary>SPKI(1): the SubjectPublicKeyInfo (DER).</summary>
    Spki = 1,
    /// <summary>PrivSel(255): private use.</summary>
    PrivSel = 255,
}

/// <summary>TLSA matching type (RFC 6698 §2.1.3).</summary>
public enum TlsaMatchingType : byte
{
    /// <summary>Full(0): exact match of the selected content.</summary>
    Full = 0,
    /// <summary>SHA2-256(1).</summary>
    Sha256 = 1,
    /// <summary>SHA2-512(2).</summary>
    Sha512 = 2,
    /// <summary>PrivMatch(255): private use.</summary>
    PrivMatch = 255,
}

/// <summary>Whether a TLSA record can take part in DANE authentication at all.</summary>
public enum TlsaRecordCondition
{
    /// <summary>All fields are assigned values and the data fits the matching type.</summary>
    Usable,
    /// <summary>The usage is not one DanePS knows (RFC 6698 §7: treated as unusable).</summary>
    UnknownUsage,
    /// <summary>The selector is not one DanePS knows.</summary>
    UnknownSelector,
    /// <summary>The matching type is not one DanePS knows.</summary>
    UnknownMatchingType,
    /// <summary>The association data has the wrong length for its matching type.</summary>
    Malformed,
}
