namespace DanePS.Engine.Tls;

/// <summary>Where a probe failed.</summary>
public enum TlsProbeFailure
{
    /// <summary>The host name has no address.</summary>
    NameResolution,
    /// <summary>The server refused the TCP connection.</summary>
    ConnectionRefused,
    /// <summary>No TCP connection within the connect timeout.</summary>
    ConnectTimeout,
    /// <summary>The server said nothing within the read timeout, or the whole probe ran past its deadline.</summary>
    Timeout,
    /// <summary>The server closed the connection.</summary>
    ConnectionClosed,
    /// <summary>The server does not speak the expected protocol.</summary>
    ProtocolError,
    /// <summary>A line longer than the limit, or more lines than the limit.</summary>
    ResponseTooLarge,
    /// <summary>The server rejected the session (e.g. 554 greeting, IMAP BYE).</summary>
    ServiceRefused,
    /// <summary>STARTTLS/STLS is not advertised.</summary>
    StartTlsNotOffered,
    /// <summary>STARTTLS was refused (e.g. 454).</summary>
    StartTlsRefused,
    /// <summary>The TLS handshake failed before the server sent its certificates.</summary>
    HandshakeFailed,
    /// <summary>A network error other than the above.</summary>
    NetworkError,
}
