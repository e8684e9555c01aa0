using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using X509Certificate2 = System.Security.Cryptography.X509Certificates.X509Certificate2;

namespace DanePS.Engine.Tls;

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
