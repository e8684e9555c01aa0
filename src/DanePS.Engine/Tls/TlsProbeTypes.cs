using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using X509Certificate2 = System.Security.Cryptography.X509Certificates.X509Certificate2;

namespace DanePS.Engine.Tls;

/// <summary>How TLS is started on the connection.</summary>
public enum StartTlsProtocol
{
    /// <summary>Chosen from the port: 25, 587 and 2525 SMTP; 143 IMAP; 110 POP3; anything else implicit TLS.</summary>
    Auto,
    /// <summary>Implicit TLS: the handshake starts at once, no STARTTLS (443, 465, 993, 995, …). Was "None" before 0.1.</summary>
    ImplicitTls,
    /// <summary>SMTP STARTTLS (RFC 3207).</summary>
    Smtp,
    /// <summary>IMAP STARTTLS (RFC 3501).</summary>
    Imap,
    /// <summary>POP3 STLS (RFC 2595).</summary>
    Pop3,
}

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

/// <summary>Limits and choices for one probe. Every wait is bounded.</summary>
public sealed class TlsProbeOptions
{
    /// <summary>TCP connect timeout.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait for any single read.</summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Deadline for the whole probe (connect, STARTTLS, handshake).</summary>
    public TimeSpan OverallTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Longest protocol line accepted before STARTTLS.</summary>
    public int MaxLineLength { get; set; } = 4096;

    /// <summary>Most lines accepted in one reply (greeting, EHLO, CAPA).</summary>
    public int MaxReplyLines { get; set; } = 100;

    /// <summary>Name sent in EHLO.</summary>
    public string ClientName { get; set; } = "daneps.invalid";

    /// <summary>Which key type to ask the server for.</summary>
    public TlsKeyType KeyType { get; set; } = TlsKeyType.Any;

    /// <summary>The same limits, asking for another key type.</summary>
    public TlsProbeOptions WithKeyType(TlsKeyType keyType)
    {
        var copy = (TlsProbeOptions)MemberwiseClone();
        copy.KeyType = keyType;
        return copy;
    }

    /// <summary>Resolves the dialect for a port when <see cref="StartTlsProtocol.Auto"/> is given.</summary>
    public static StartTlsProtocol ForPort(int port) => port switch
    {
        25 or 587 or 2525 => StartTlsProtocol.Smtp,
        143 => StartTlsProtocol.Imap,
        110 => StartTlsProtocol.Pop3,
        _ => StartTlsProtocol.ImplicitTls,
    };
}

/// <summary>What a TLS connection showed: the chain exactly as sent, and how the session went.</summary>
public sealed class TlsProbeResult
{
    private IReadOnlyList<X509Certificate2>? _presented;

    internal TlsProbeResult(string serverName, IPEndPoint endPoint, StartTlsProtocol protocol, TlsKeyType keyType, IReadOnlyList<Certificates.ParsedCertificate> chain)
    {
        ServerName = serverName;
        EndPoint = endPoint;
        StartTls = protocol;
        KeyType = keyType;
        ParsedChain = chain;
    }

    /// <summary>The chain parsed once, shared by the matcher and the reports.</summary>
    internal IReadOnlyList<Certificates.ParsedCertificate> ParsedChain { get; }

    /// <summary>The name sent as SNI (and checked against for DANE-TA).</summary>
    public string ServerName { get; }

    /// <summary>The address and port connected to.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The dialect used to start TLS.</summary>
    public StartTlsProtocol StartTls { get; }

    /// <summary>Which key type the client asked for.</summary>
    public TlsKeyType KeyType { get; }

    /// <summary>The certificates exactly as the server sent them, leaf first.</summary>
    public IReadOnlyList<X509Certificate2> PresentedChain => _presented ??= ParsedChain.Select(c => c.ToX509Certificate2()).ToList();

    /// <summary>Negotiated protocol, e.g. "TLS 1.3".</summary>
    public string? TlsVersion { get; internal set; }

    /// <summary>Negotiated cipher suite name.</summary>
    public string? CipherSuite { get; internal set; }

    /// <summary>First line of the server's greeting before STARTTLS, if any.</summary>
    public string? Greeting { get; internal set; }

    /// <summary>Whether the handshake finished (the server proved possession of the key).</summary>
    public bool HandshakeCompleted { get; internal set; }

    /// <summary>Why the handshake did not finish after the certificates arrived, if it did not.</summary>
    public string? HandshakeError { get; internal set; }

    /// <summary>TCP connect time.</summary>
    public TimeSpan ConnectTime { get; internal set; }

    /// <summary>Time from connection to the TLS handshake's start (greeting, EHLO, STARTTLS).</summary>
    public TimeSpan StartTlsTime { get; internal set; }

    /// <summary>TLS handshake time.</summary>
    public TimeSpan HandshakeTime { get; internal set; }
}

/// <summary>A probe that could not obtain the server's certificates.</summary>
public sealed class TlsProbeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TlsProbeException(TlsProbeFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    /// <summary>Creates the exception.</summary>
    public TlsProbeException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public TlsProbeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public TlsProbeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Where it failed.</summary>
    public TlsProbeFailure Failure { get; } = TlsProbeFailure.NetworkError;
}
