using System;
using System.Net;
using DanePS.Engine.Dns;

namespace DanePS.Engine.Providers.Rfc2136;

/// <summary>How to reach a zone's primary server for RFC 2136 dynamic updates.</summary>
public sealed class Rfc2136ProviderOptions
{
    /// <summary>The TSIG key the primary accepts updates with.</summary>
    public TsigKey? Key { get; set; }

    /// <summary>The zone; when not set it is found from each owner name (the closest name with an SOA).</summary>
    public string? Zone { get; set; }

    /// <summary>The primary server; when not set, the address of the zone's SOA MNAME, port 53.</summary>
    public IPEndPoint? PrimaryServer { get; set; }

    /// <summary>The resolver used to find the zone and its SOA MNAME (the system's when it has no servers).</summary>
    public DnsResolverOptions Resolver { get; set; } = new();

    /// <summary>How long one update or query waits for the answer.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many times a UDP request is sent again after a timeout, before TCP is tried.</summary>
    public int Retries { get; set; } = 1;

    /// <summary>TSIG fudge: how far the server's clock may be from ours (RFC 8945 recommends 300 s).</summary>
    public TimeSpan Fudge { get; set; } = TimeSpan.FromSeconds(300);
}
