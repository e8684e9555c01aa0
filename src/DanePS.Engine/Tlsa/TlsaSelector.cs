namespace DanePS.Engine.Tlsa;

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
