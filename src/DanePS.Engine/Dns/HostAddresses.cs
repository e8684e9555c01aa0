using System;
using System.Collections.Generic;

namespace DanePS.Engine.Dns;

/// <summary>The A and AAAA addresses of one host, or why there are none.</summary>
public sealed class HostAddresses
{
    internal HostAddresses(string hostName) => HostName = hostName;

    /// <summary>The host name asked for.</summary>
    public string HostName { get; }

    /// <summary>Its IPv4 and IPv6 addresses, each with the DNSSEC status of its RRset.</summary>
    public IReadOnlyList<DnsAddress> Addresses { get; internal set; } = Array.Empty<DnsAddress>();

    /// <summary>Why the lookup gave no address, when a lookup failed (null when the name simply has none).</summary>
    public DnsFailure? Failure { get; internal set; }

    /// <summary>Why there is no address, in words.</summary>
    public string? FailureMessage { get; internal set; }
}
