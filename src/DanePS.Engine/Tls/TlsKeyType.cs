namespace DanePS.Engine.Tls;

/// <summary>Which server key type the client asks for in one handshake.</summary>
public enum TlsKeyType
{
    /// <summary>Offer everything; the server chooses.</summary>
    Any,
    /// <summary>Offer only RSA signature algorithms and RSA cipher suites.</summary>
    Rsa,
    /// <summary>Offer only ECDSA signature algorithms and ECDSA cipher suites.</summary>
    Ecdsa,
}
