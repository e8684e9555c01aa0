using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Dnssec;
using DanePS.Tests.Fixtures.Dns;
using Xunit;

namespace DanePS.Tests.Dnssec;

/// <summary>The validator's own DNS transport against a server that misbehaves on purpose.</summary>
public class DnsWireClientTests
{
    /// <summary>
    /// A resolver that ignores the EDNS size DanePS offers and sends an answer larger than the receive buffer over
    /// UDP, without TC: the datagram cannot be read whole, so the question is asked again over TCP and the full
    /// answer is read, never a cut one.
    /// </summary>
    [Fact]
    public async Task An_oversized_udp_answer_is_asked_again_over_tcp()
    {
        const int count = 60;
        var tlsa = Enumerable.Range(0, count).Select(i => new DnsRecord("_25._tcp.big.example.test", DnsQuery.Tlsa, new byte[] { 3, 1, 1 }.Concat(Enumerable.Repeat((byte)i, 64)).ToArray())).ToArray();
        using var server = HostileDnsServer.Start(q => q.Type == DnsQuery.Tlsa ? q.Respond(0, false, tlsa) : q.Respond());
        var client = new DnsWireClient(new[] { server.EndPoint }, TimeSpan.FromSeconds(3), retries: 0);

        var exchange = await client.AskAsync(DomainName.Parse("_25._tcp.big.example.test"), DnsWire.TypeTlsa, CancellationToken.None);

        Assert.Null(exchange.Error);
        Assert.True(count * 80 > DnsWireClient.UdpBufferSize, "the answer must not fit the UDP buffer");
        Assert.Equal(count, exchange.Message!.Answers.Count);
        Assert.Equal(Enumerable.Range(0, count).Select(i => (byte)i), exchange.Message.Answers.Select(a => a.Rdata[3]));
        Assert.True(client.UsedTcp);
    }

    [Fact]
    public async Task An_answer_that_fits_stays_on_udp()
    {
        using var server = HostileDnsServer.Start(q => HostileDnsServer.Plausible(q));
        var client = new DnsWireClient(new[] { server.EndPoint }, TimeSpan.FromSeconds(3), retries: 0);

        var exchange = await client.AskAsync(DomainName.Parse("host.example.test"), DnsWire.TypeA, CancellationToken.None);

        Assert.Null(exchange.Error);
        Assert.Single(exchange.Message!.Answers);
        Assert.False(client.UsedTcp);
        Assert.Equal(1, client.QueryCount);
    }
}
