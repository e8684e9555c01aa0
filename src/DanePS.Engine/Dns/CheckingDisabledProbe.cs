using System;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Dnssec;

namespace DanePS.Engine.Dns;

/// <summary>
/// Repeats a query with the CD (checking disabled) bit, which DnsClient cannot set, through DanePS's own wire codec
/// (<see cref="DnsWire"/>, the one that local validation uses too). Only the response code is needed: data with CD
/// after SERVFAIL without it means validation failed (bogus), not that the servers are down.
/// </summary>
internal static class CheckingDisabledProbe
{
    /// <summary>Returns the response code (0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, …), or null when there was no answer.</summary>
    public static async Task<int?> QueryRcodeAsync(IPEndPoint server, string name, ushort type, TimeSpan timeout, CancellationToken ct)
    {
        DomainName parsed;
        try
        {
            parsed = DomainName.Parse(name);
        }
        catch (FormatException)
        {
            return null;
        }

        var client = new DnsWireClient(new[] { server }, timeout, retries: 0);
        var exchange = await client.AskOneAsync(server, parsed, type, checkingDisabled: true, ct).ConfigureAwait(false);
        return exchange.Message?.Rcode;
    }
}
