using System;
using System.Collections.Generic;
using System.Linq;
using DanePS.Engine.Checking;
using DanePS.Engine.Matching;
using DanePS.Engine.Tlsa;

namespace DanePS.Engine.Dns;

/// <summary>
/// The TLSA RRset for one host and port as a DANE client reads it (RFC 7672 §2): the records with owner name, TTL
/// and DNSSEC status, where they came from (CNAME expansion), the host's addresses, and what went wrong if anything.
/// </summary>
public sealed class TlsaRecordSet
{
    internal TlsaRecordSet(string hostName, int port, string protocol)
    {
        Warnings = new ReadableList<string>(WarningList, "\n");
        HostName = hostName.TrimEnd('.');
        Port = port;
        Protocol = protocol;
        TlsaBaseDomain = HostName;
        OwnerName = DnsTlsaRecord.OwnerNameFor(HostName, port, protocol);
    }

    /// <summary>The host name asked for (an MX host for mail domains).</summary>
    public string HostName { get; }

    /// <summary>The host name with U-labels for people ("bücher.example"); the same as <see cref="HostName"/> unless internationalised.</summary>
    public string UnicodeHostName => Names.HostName.ToUnicode(HostName);

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>The transport: tcp, udp or sctp.</summary>
    public string Protocol { get; }

    /// <summary>The name the records were published for: the CNAME-expanded host name when the whole chain is secure, otherwise the host name (RFC 7671 §7).</summary>
    public string TlsaBaseDomain { get; internal set; }

    /// <summary>The owner name the records came from, e.g. "_25._tcp.mx.example.com.".</summary>
    public string OwnerName { get; internal set; }

    /// <summary>CNAME targets from the host name to its canonical name, in order (empty when not an alias).</summary>
    public ReadableList<string> CnameChain { get; internal set; } = ReadableList.Empty<string>();

    /// <summary>Whether the CNAME chain (if any) validated as secure.</summary>
    public bool? CnameChainSecure { get; internal set; }

    /// <summary>Found, not published, or failed.</summary>
    public TlsaLookupOutcome Outcome { get; internal set; }

    /// <summary>DNSSEC status of the TLSA RRset (or of its denial).</summary>
    public DnssecStatus DnssecStatus { get; internal set; }

    /// <summary>Who validated the answers: the resolver (its AD bit) or DanePS itself (Local).</summary>
    public DnssecValidationMode DnssecValidation { get; internal set; } = DnssecValidationMode.Resolver;

    /// <summary>"NXDOMAIN" or "NODATA" when nothing is published.</summary>
    public string? Denial { get; internal set; }

    /// <summary>The records, each with owner name, TTL and DNSSEC status (empty when the lookup failed).</summary>
    public ReadableList<DnsTlsaRecord> Records { get; internal set; } = ReadableList.Empty<DnsTlsaRecord>();

    /// <summary>TTL of the RRset as given.</summary>
    public int? Ttl => Records.Count == 0 ? null : Records.Min(r => r.Ttl);

    /// <summary>Earliest expiry of the RRSIGs over the TLSA RRset.</summary>
    public DateTimeOffset? SignatureExpiration { get; internal set; }

    /// <summary>The host's A and AAAA addresses with their DNSSEC status.</summary>
    public ReadableList<DnsAddress> Addresses { get; internal set; } = ReadableList.Empty<DnsAddress>();

    /// <summary>Why the A/AAAA lookups gave no trustworthy answer, if they did not (RFC 7672 §2.2.2: a DANE client defers).</summary>
    public DnsFailure? AddressFailure { get; internal set; }

    /// <summary>Why there is no trustworthy answer.</summary>
    public DnsFailure? Failure { get; internal set; }

    /// <summary>The failure in words.</summary>
    public string? FailureMessage { get; internal set; }

    /// <summary>The mail domain this host serves as MX for, when read with -MailDomain.</summary>
    public string? MailDomain { get; internal set; }

    /// <summary>MX preference, when read as an MX host.</summary>
    public int? MxPreference { get; internal set; }

    /// <summary>DNSSEC status of the domain's MX RRset (DANE applies only when it is secure, RFC 7672 §2.2.1).</summary>
    public DnssecStatus? MxDnssecStatus { get; internal set; }

    /// <summary>True when the domain has no MX and the domain itself is the mail host (RFC 5321 §5.1).</summary>
    public bool ImplicitMx { get; internal set; }

    /// <summary>What each authoritative server serves, with -Authoritative.</summary>
    public ReadableList<AuthoritativeAnswer> AuthoritativeAnswers { get; internal set; } = ReadableList.Empty<AuthoritativeAnswer>();

    /// <summary>Whether every authoritative server serves the same RRset (null when not asked).</summary>
    public bool? AuthoritativeConsistent { get; internal set; }

    /// <summary>Things an operator should know (expiring signatures, servers disagreeing, …).</summary>
    public ReadableList<string> Warnings { get; }

    internal List<string> WarningList { get; } = new();

    /// <summary>
    /// True when a DANE client would use these records: secure, with at least one usable record (at port 25, usable
    /// for SMTP: not PKIX-TA or PKIX-EE), and (for MX hosts) a secure MX RRset.
    /// </summary>
    public bool DaneApplies =>
        Outcome == TlsaLookupOutcome.Found && DaneApplicability.TlsaAllowsDane(DnssecStatus) && DaneApplicability.MxAllowsDane(MxDnssecStatus)
        && Records.Any(r => r.IsUsableUnder(DaneProfileRules.ForPort(Port)));

    /// <inheritdoc />
    public override string ToString() => $"{OwnerName} {DnssecStatus} {Outcome} ({Records.Count} record(s))";
}
