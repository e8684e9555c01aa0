using System.Net;
using DanePS.Engine.Tlsa;

namespace DanePS.Engine.Dns;

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
    public string AddressFamily => FamilyOf(IPAddress);

    /// <summary>TTL as given.</summary>
    public int Ttl { get; }

    /// <summary>DNSSEC status of the A or AAAA RRset.</summary>
    public DnssecStatus DnssecStatus { get; }

    internal IPAddress IPAddress { get; }

    /// <inheritdoc />
    public override string ToString() => Address;

    /// <summary>"IPv4" or "IPv6": how every DanePS result names an address's family.</summary>
    internal static string FamilyOf(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
}
