using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using DanePS.Engine.Tlsa;

namespace DanePS.Engine.Dns;

/// <summary>Why a DNS lookup gave no trustworthy answer.</summary>
public enum DnsFailure
{
    /// <summary>The resolver did not answer in time.</summary>
    Timeout,
    /// <summary>The resolver answered SERVFAIL, and also with checking disabled: the zone's servers are broken or unreachable.</summary>
    ServerFailure,
    /// <summary>DNSSEC validation failed: SERVFAIL, while the same query with checking disabled returns data.</summary>
    Bogus,
    /// <summary>The answer cannot be trusted either way (e.g. a denial from a resolver that does not validate).</summary>
    Indeterminate,
    /// <summary>The resolver refused the query.</summary>
    Refused,
    /// <summary>The name does not exist: a mail domain (NXDOMAIN for its MX), or a host (NXDOMAIN for its addresses).</summary>
    NoSuchDomain,
    /// <summary>The domain publishes a null MX (RFC 7505): it accepts no mail.</summary>
    NullMx,
    /// <summary>A network or protocol error talking to the resolver.</summary>
    Transport,
    /// <summary>The response could not be parsed, or its answer section does not answer the question asked.</summary>
    MalformedResponse,
    /// <summary>The response belongs to another query: another message id, or another question.</summary>
    MismatchedResponse,
}

/// <summary>What the TLSA lookup found.</summary>
public enum TlsaLookupOutcome
{
    /// <summary>TLSA records are published.</summary>
    Found,
    /// <summary>No TLSA records, and the denial is trustworthy (secure, or from an insecure zone).</summary>
    NotPublished,
    /// <summary>No trustworthy answer: see <see cref="TlsaRecordSet.Failure"/>.</summary>
    Failed,
}

/// <summary>One address of a host, with the DNSSEC status of its RRset.</summary>
public sealed class DnsAddress
{
    internal DnsAddress(IPAddress address, int ttl, DnssecStatus status)
    {
        IPAddress = address;
        Address = address.ToString();
        Ttl = ttl;
        DnssecStatus = status;
    }

    /// <summary>The address as text ("192.0.2.25", "2001:db8::25").</summary>
    public string Address { get; }

    /// <summary>"IPv4" or "IPv6".</summary>
    public string AddressFamily => IPAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";

    /// <summary>TTL as given.</summary>
    public int Ttl { get; }

    /// <summary>DNSSEC status of the A or AAAA RRset.</summary>
    public DnssecStatus DnssecStatus { get; }

    internal IPAddress IPAddress { get; }

    /// <inheritdoc />
    public override string ToString() => Address;
}

/// <summary>What one authoritative server says about a TLSA RRset.</summary>
public sealed class AuthoritativeAnswer
{
    internal AuthoritativeAnswer(string serverName, IPAddress address, long? serial, IReadOnlyList<string> records, string? error)
    {
        ServerName = serverName;
        Address = address.ToString();
        Serial = serial;
        Records = ReadableList.Of(records);
        Error = error;
    }

    /// <summary>The NS name.</summary>
    public string ServerName { get; }

    /// <summary>The address asked, as text.</summary>
    public string Address { get; }

    /// <summary>The zone's SOA serial on that server.</summary>
    public long? Serial { get; }

    /// <summary>The TLSA records it serves, in canonical text, sorted.</summary>
    public ReadableList<string> Records { get; }

    /// <summary>Why it gave no answer, if it did not.</summary>
    public string? Error { get; }

    /// <inheritdoc />
    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} ({1}) serial {2}: {3}", ServerName, Address, Serial, Error ?? Records.Count + " record(s)");
}

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

    /// <summary>True when a DANE client would use these records: secure, with at least one usable record, and (for MX hosts) a secure MX RRset.</summary>
    public bool DaneApplies =>
        Outcome == TlsaLookupOutcome.Found && DnssecStatus == DnssecStatus.Secure && Records.Any(r => r.IsUsable)
        && (MxDnssecStatus is null || MxDnssecStatus == DnssecStatus.Secure);

    /// <inheritdoc />
    public override string ToString() => $"{OwnerName} {DnssecStatus} {Outcome} ({Records.Count} record(s))";
}

/// <summary>Where and how to resolve.</summary>
public sealed class DnsResolverOptions
{
    /// <summary>Resolvers to ask; empty means the system's.</summary>
    public IList<IPEndPoint> Servers { get; } = new List<IPEndPoint>();

    /// <summary>Timeout of one query attempt.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Retries after a timeout.</summary>
    public int Retries { get; set; } = 2;

    /// <summary>Retry over TCP when a UDP answer is truncated.</summary>
    public bool UseTcpFallback { get; set; } = true;

    /// <summary>Use TCP for every query.</summary>
    public bool UseTcpOnly { get; set; }

    /// <summary>EDNS UDP payload size offered (1232 avoids fragmentation, per DNS Flag Day 2020).</summary>
    public int UdpBufferSize { get; set; } = 1232;

    /// <summary>A name known to be signed, whose DNSKEY a validating resolver answers with AD.</summary>
    public string ValidationProbeName { get; set; } = ".";

    /// <summary>Warn when TLSA signatures expire sooner than this.</summary>
    public TimeSpan SignatureExpiryWarning { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Parses "192.0.2.53", "192.0.2.53:5353", "2001:db8::53" or "[2001:db8::53]:5353".</summary>
    /// <exception cref="FormatException">Not an address.</exception>
    public static IPEndPoint ParseServer(string text)
    {
        var t = (text ?? throw new ArgumentNullException(nameof(text))).Trim();

        // IPAddress.TryParse accepts "[::1]:5353" but drops the port: split host and port first.
        string host = t;
        var port = 53;
        if (t.StartsWith("[", StringComparison.Ordinal))
        {
            var close = t.IndexOf(']');
            var rest = close < 0 ? null : t.Substring(close + 1);
            host = close < 0 ? t : t.Substring(1, close - 1);
            if (rest is { Length: > 0 } && !(rest[0] == ':' && int.TryParse(rest.Substring(1), NumberStyles.None, CultureInfo.InvariantCulture, out port)))
            {
                port = -1;
            }
        }
        else if (t.Count(c => c == ':') == 1)
        {
            var colon = t.IndexOf(':');
            host = t.Substring(0, colon);
            if (!int.TryParse(t.Substring(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port))
            {
                port = -1;
            }
        }

        if (port is > 0 and < 65536 && IPAddress.TryParse(host, out var address))
        {
            return new IPEndPoint(address, port);
        }

        throw new FormatException($"'{text}' is not a resolver address (IP, IP:port or [IPv6]:port).");
    }
}

/// <summary>What DanePS found out about the resolver it is using.</summary>
public sealed class ResolverAssessment
{
    internal ResolverAssessment(bool validates, IReadOnlyList<IPEndPoint> servers, bool answered = true)
    {
        Validates = validates && answered;
        Servers = servers;
        Answered = answered;
    }

    /// <summary>Whether the resolver sets AD on a known-signed name. Only then is any AD bit it sets believed.</summary>
    public bool Validates { get; }

    /// <summary>Whether the resolver answered anything at all in this run (false: it is down, or unreachable).</summary>
    public bool Answered { get; }

    /// <summary>The resolvers asked.</summary>
    public IReadOnlyList<IPEndPoint> Servers { get; }

    /// <summary>Resolvers reached over a non-loopback address: the AD bit is only as trustworthy as that path.</summary>
    public IReadOnlyList<IPEndPoint> RemoteServers => Servers.Where(s => !IPAddress.IsLoopback(s.Address)).ToList();
}
