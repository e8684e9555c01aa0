using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using DanePS.Engine.Certificates;
using DanePS.Engine.Dns;
using DanePS.Engine.Matching;
using DanePS.Engine.Tls;
using DanePS.Engine.Tlsa;

namespace DanePS.Engine.Checking;

/// <summary>
/// The DANE check of one endpoint: one address, one port, one key type. Flat enough for ConvertTo-Json -Depth 4 and
/// Export-Csv: addresses and records as text, lists that read as text, times in milliseconds.
/// </summary>
public sealed class DaneEndpointResult
{
    private readonly List<DaneFinding> _findings = new();
    private readonly ReadableList<TlsaRecordEvaluation> _notCompared;

    internal DaneEndpointResult(TlsaRecordSet tlsa, IPAddress? address)
    {
        HostName = tlsa.HostName;
        Port = tlsa.Port;
        IPAddress = address;
        Address = address?.ToString();
        TlsaBaseDomain = tlsa.TlsaBaseDomain;
        TlsaDnssecStatus = tlsa.DnssecStatus;
        DnssecValidation = tlsa.DnssecValidation;
        TlsaSignatureExpiration = tlsa.SignatureExpiration;
        TlsaRecords = tlsa.Records;
        _notCompared = ReadableList.Of(tlsa.Records.Select(TlsaRecordEvaluation.NotCompared).ToList(), "\n");
        MailDomain = tlsa.MailDomain;
        MxPreference = tlsa.MxPreference;
        Findings = new ReadableList<DaneFinding>(_findings, "\n");
    }

    /// <summary>The host name checked.</summary>
    public string HostName { get; }

    /// <summary>The host name with U-labels for people ("bücher.example"); the same as <see cref="HostName"/> unless internationalised.</summary>
    public string UnicodeHostName => Names.HostName.ToUnicode(HostName);

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>The address connected to, as text ("192.0.2.25", "2001:db8::25"); null when the host has none.</summary>
    public string? Address { get; }

    /// <summary>"IPv4" or "IPv6".</summary>
    public string? AddressFamily => IPAddress is null ? null : DnsAddress.FamilyOf(IPAddress);

    /// <summary>The public key of the certificate this result is about ("EC P-256", "RSA 2048", …).</summary>
    public string? PublicKey { get; internal set; }

    /// <summary>Which key type the client asked for in this handshake (Any, Rsa, Ecdsa).</summary>
    public TlsKeyType KeyType { get; internal set; }

    /// <summary>How TLS was started: Smtp, Imap or Pop3 STARTTLS, or ImplicitTls.</summary>
    public StartTlsProtocol StartTls { get; internal set; }

    /// <summary>The verdict.</summary>
    public DaneVerdict Verdict { get; internal set; }

    /// <summary>One line on the verdict a person can act on.</summary>
    public string Summary { get; internal set; } = string.Empty;

    /// <summary>The TLSA base domain the records came from.</summary>
    public string TlsaBaseDomain { get; }

    /// <summary>DNSSEC status of the TLSA RRset.</summary>
    public DnssecStatus TlsaDnssecStatus { get; }

    /// <summary>Who validated the DNS answers: the resolver (its AD bit) or DanePS itself (Local).</summary>
    public DnssecValidationMode DnssecValidation { get; }
    /// <summary>Earliest expiry of the RRSIGs over the TLSA RRset (null when there are none, or the lookup failed).</summary>
    public DateTimeOffset? TlsaSignatureExpiration { get; }

    /// <summary>
    /// Each record of the TLSA RRset, once, in RRset order, with what became of it (Matched, NoMatch, …; NotCompared
    /// when the server presented nothing to compare).
    /// </summary>
    public ReadableList<TlsaRecordEvaluation> Records => Match?.Records ?? _notCompared;

    /// <summary>The record that authenticated the server, as text ("3 1 1 5E79…"); null when none did.</summary>
    public string? MatchedRecord => Match?.MatchedRecord;

    /// <summary>Depth of the match (leaf = 0).</summary>
    public int? MatchedDepth => Match?.MatchedDepth;

    /// <summary>What the server presents: each certificate with its hashes and the record it would need.</summary>
    public ReadableList<CertificateDetails> PresentedChain { get; internal set; } = ReadableList.Empty<CertificateDetails>();

    /// <summary>Negotiated TLS version.</summary>
    public string? TlsVersion { get; internal set; }

    /// <summary>Negotiated cipher suite.</summary>
    public string? CipherSuite { get; internal set; }

    /// <summary>Whether the platform's own PKIX validation would trust the chain for the host name (separate from DANE).</summary>
    public bool? PlatformTrusted { get; internal set; }

    /// <summary>Why the platform would not trust it.</summary>
    public string? PlatformTrustDetail { get; internal set; }

    /// <summary>Warnings and notes, each naming the host, port and (where it is about one handshake) address and public key.</summary>
    public ReadableList<DaneFinding> Findings { get; }

    /// <summary>The mail domain, for MX hosts.</summary>
    public string? MailDomain { get; }

    /// <summary>MX preference, for MX hosts.</summary>
    public int? MxPreference { get; }

    /// <summary>Why the server could not be reached, if it could not.</summary>
    public TlsProbeFailure? ConnectionFailure { get; internal set; }

    /// <summary>TCP connect time in milliseconds.</summary>
    public double? ConnectMs { get; internal set; }

    /// <summary>Greeting and STARTTLS time in milliseconds.</summary>
    public double? StartTlsMs { get; internal set; }

    /// <summary>Handshake time in milliseconds.</summary>
    public double? HandshakeMs { get; internal set; }

    /// <summary>Whole check time for this endpoint in milliseconds.</summary>
    public double ElapsedMs { get; internal set; }

    /// <summary>The matcher's full answer, for the engine's own rules.</summary>
    internal DaneMatchResult? Match { get; set; }

    /// <summary>The records as read from DNS.</summary>
    internal IReadOnlyList<DnsTlsaRecord> TlsaRecords { get; }

    internal IPAddress? IPAddress { get; }

    /// <summary>The record object that authenticated the server.</summary>
    internal TlsaRecord? MatchedTlsaRecord => Match?.MatchedEvaluation?.GetRecord();

    /// <summary>A key type the server may hold whose certificate was not fetched (its handshake failed): not compared.</summary>
    internal TlsKeyType? UncheckedKeyType { get; set; }

    /// <summary>The warnings among <see cref="Findings"/>.</summary>
    public IReadOnlyList<DaneFinding> GetWarnings() => _findings.Where(f => f.Severity == FindingSeverity.Warning).ToList();

    /// <inheritdoc />
    public override string ToString() =>
        $"{HostName}:{Port}{(Address is null ? string.Empty : $" [{Address}]")}{(PublicKey is null ? string.Empty : " " + PublicKey)}: {Verdict} — {Summary}";

    /// <summary>Adds a finding about this handshake: host, port, address and public key.</summary>
    internal void AddFinding(DaneFindingCode code, FindingSeverity severity, string message) =>
        _findings.Add(new DaneFinding(code, severity, message, HostName, Port, Address, PublicKey));

    /// <summary>Adds a finding made elsewhere (about the RRset or the DNS lookup).</summary>
    internal void AddFinding(DaneFinding finding) => _findings.Add(finding);

    internal static double Milliseconds(TimeSpan time) => Math.Round(time.TotalMilliseconds, 1);
}
