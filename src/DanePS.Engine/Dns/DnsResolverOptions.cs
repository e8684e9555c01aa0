using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;

namespace DanePS.Engine.Dns;

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

    /// <summary>Who validates DNSSEC: the resolver, DanePS itself, or (Auto) whichever can be trusted.</summary>
    public DnssecValidationMode Validation { get; set; } = DnssecValidationMode.Auto;

    /// <summary>
    /// Trust anchors for local validation, as DS or DNSKEY records in zone-file presentation format
    /// (". IN DS 20326 8 2 E06D…"); empty means the built-in IANA root anchors (KSK-2017, KSK-2024).
    /// </summary>
    public IList<string> TrustAnchors { get; } = new List<string>();

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
