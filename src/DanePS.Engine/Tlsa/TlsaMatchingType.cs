namespace DanePS.Engine.Tlsa;

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
