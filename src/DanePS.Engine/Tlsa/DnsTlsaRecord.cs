using System;
using System.Globalization;

namespace DanePS.Engine.Tlsa;

/// <summary>A TLSA record with its place in DNS: owner name, TTL, and the DNSSEC status of its RRset.</summary>
public class DnsTlsaRecord : TlsaRecord
{
    /// <summary>Creates a named record from record data.</summary>
    public DnsTlsaRecord(TlsaRecord record, string hostName, int port, string protocol = "tcp")
        : base(record)
    {
        HostName = (hostName ?? throw new ArgumentNullException(nameof(hostName))).TrimEnd('.');
        Port = port;
        Protocol = protocol;
        OwnerName = OwnerNameFor(HostName, port, protocol);
    }

    /// <summary>The TLSA base domain (the host name the records are published for).</summary>
    public string HostName { get; }

    /// <summary>The host name with U-labels for people ("bücher.example"); the same as <see cref="HostName"/> unless internationalised.</summary>
    public string UnicodeHostName => Names.HostName.ToUnicode(HostName);

    /// <summary>The service port.</summary>
    public int Port { get; }

    /// <summary>The transport label: tcp, udp or sctp.</summary>
    public string Protocol { get; }

    /// <summary>The owner name, e.g. "_25._tcp.mail.example.com." (where DNS actually served it, after any CNAME).</summary>
    public string OwnerName { get; set; }

    /// <summary>TTL in seconds as the server gave it, when read from DNS.</summary>
    public int? Ttl { get; set; }

    /// <summary>DNSSEC status of the RRset, when read from DNS.</summary>
    public DnssecStatus? DnssecStatus { get; set; }

    /// <summary>The record as a zone-file line, ready to publish.</summary>
    public string ZoneFileLine => Ttl is null
        ? $"{OwnerName} IN TLSA {this}"
        : string.Format(CultureInfo.InvariantCulture, "{0} {1} IN TLSA {2}", OwnerName, Ttl, this);

    /// <summary>"_PORT._PROTO.HOST." for a host, port and transport (RFC 6698 §3).</summary>
    public static string OwnerNameFor(string hostName, int port, string protocol = "tcp") =>
        string.Format(CultureInfo.InvariantCulture, "_{0}._{1}.{2}.", port, (protocol ?? "tcp").ToLowerInvariant(), (hostName ?? throw new ArgumentNullException(nameof(hostName))).TrimEnd('.'));
}
