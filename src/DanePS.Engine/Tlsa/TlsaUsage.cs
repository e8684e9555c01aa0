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
