using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Dns;
using DanePS.Engine.Tlsa;
using DanePS.Tests.Dns;
using DanePS.Tests.Fixtures.Dns;
using DnsClient;
using Xunit;
using Xunit.Abstractions;
using Z = DanePS.Tests.Fixtures.Dns.StandardDaneZones;

namespace DanePS.Tests.Dnssec;

/// <summary>
/// DanePS's own validation through a recursive Unbound that does not validate, with the fixture root as the anchor,
/// against the validating Unbound's verdicts, for every standard zone.
/// </summary>
public class LocalValidationLiveTests : IClassFixture<StandardDnsFixture>
{
    private readonly StandardDnsFixture _dns;
    private readonly ITestOutputHelper _output;

    public LocalValidationLiveTests(StandardDnsFixture dns, ITestOutputHelper output)
    {
        _dns = dns;
        _output = output;
    }

    public static IEnumerable<object[]> Cases => Z.Cases.Select(c => new object[] { c.Name, c.Type });

    private DaneDnsReader Local(DnssecValidationMode mode = DnssecValidationMode.Local, bool anchor = true)
    {
        var options = new DnsResolverOptions { Validation = mode, Timeout = TimeSpan.FromSeconds(3), Retries = 1 };
        options.Servers.Add(_dns.Env.NonValidatingResolverEndPoint);
        if (anchor)
        {
            options.TrustAnchors.Add(_dns.Env.TrustAnchor);
        }

        return new DaneDnsReader(options);
    }

    private DaneDnsReader Validating(DnssecValidationMode mode = DnssecValidationMode.Resolver)
    {
        var options = new DnsResolverOptions { Validation = mode, Timeout = TimeSpan.FromSeconds(3), Retries = 1 };
        options.Servers.Add(_dns.Env.ResolverEndPoint);
        return new DaneDnsReader(options);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Local_validation_through_a_non_validating_resolver_gives_the_validating_resolvers_status(string name, string type)
    {
        var queryType = Enum.Parse<QueryType>(type);
        using var local = Local();
        using var resolver = Validating();
        var mine = await local.QueryAsync(name, queryType, CancellationToken.None);
        var theirs = await resolver.QueryAsync(name, queryType, CancellationToken.None);
        _output.WriteLine($"local: {mine.Status} {mine.Failure} {mine.FailureMessage} {mine.ValidationReason}; resolver: {theirs.Status} {theirs.Failure}");
        Assert.Equal(theirs.Status, mine.Status);
        Assert.Equal(theirs.Failure, mine.Failure);
        Assert.Equal(theirs.NxDomain, mine.NxDomain);
        Assert.Equal(theirs.Records.Count, mine.Records.Count);
        Assert.Equal(theirs.FinalName.ToLowerInvariant(), mine.FinalName.ToLowerInvariant());
        Assert.Equal(theirs.CnameChain, mine.CnameChain);
        Assert.True(mine.ValidatedLocally || mine.Failure is not null);
        if (name != Z.StaleTlsa)
        {
            // (The stale zone's two servers serve different data on purpose: each resolver may ask either.)
            // Same owner, type and data (the TTLs count down in each resolver's cache on their own).
            static string Data(DnsClient.Protocol.DnsResourceRecord r) => string.Join(' ', r.ToString().Split(' ').Where((_, i) => i != 1));
            Assert.Equal(theirs.Records.Select(Data).OrderBy(x => x), mine.Records.Select(Data).OrderBy(x => x));
        }
    }

    [Fact]
    public async Task Bogus_answer_says_why()
    {
        using var local = Local();
        var answer = await local.QueryAsync(Z.BogusTlsa, QueryType.TLSA, CancellationToken.None);
        Assert.Equal(DnsFailure.Bogus, answer.Failure);
        Assert.Equal(DnssecStatus.Bogus, answer.Status);
        Assert.Contains("signature over different data", answer.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Insecure_answer_says_why()
    {
        using var local = Local();
        var answer = await local.QueryAsync(Z.InsecureTlsa, QueryType.TLSA, CancellationToken.None);
        Assert.Equal(DnssecStatus.Insecure, answer.Status);
        Assert.Contains("insecure delegation", answer.ValidationReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auto_trusts_a_validating_loopback_resolver_and_validates_itself_through_a_non_validating_one()
    {
        using var validating = Validating(DnssecValidationMode.Auto);
        using var plain = Local(DnssecValidationMode.Auto);
        Assert.Equal(DnssecValidationMode.Resolver, await validating.GetValidationAsync(CancellationToken.None));
        Assert.Equal(DnssecValidationMode.Local, await plain.GetValidationAsync(CancellationToken.None));
        var secure = await plain.QueryAsync(Z.SecureSingleTlsa, QueryType.TLSA, CancellationToken.None);
        Assert.Equal(DnssecStatus.Secure, secure.Status);
        Assert.True(secure.ValidatedLocally);
        var viaResolver = await validating.QueryAsync(Z.SecureSingleTlsa, QueryType.TLSA, CancellationToken.None);
        Assert.False(viaResolver.ValidatedLocally);
    }

    [Fact]
    public async Task Built_in_anchors_do_not_validate_a_private_root_and_say_so()
    {
        using var local = Local(anchor: false);
        var answer = await local.QueryAsync(Z.SecureSingleTlsa, QueryType.TLSA, CancellationToken.None);
        Assert.Equal(DnsFailure.Bogus, answer.Failure);
        Assert.Contains("root DNSKEY RRset is validated by no trust anchor", answer.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("20326", answer.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Large_answer_comes_over_tcp_and_validates()
    {
        using var local = Local();
        var answer = await local.QueryAsync(Z.SecureBigTlsa, QueryType.TLSA, CancellationToken.None);
        Assert.Null(answer.Failure);
        Assert.Equal(DnssecStatus.Secure, answer.Status);
        Assert.Equal(Z.BigTlsaCount, answer.Records.Count);
        Assert.True(local.LocalUsedTcp);
    }

    [Fact]
    public async Task Many_hosts_in_one_zone_fetch_its_keys_once()
    {
        using var local = Local();
        var first = await local.QueryAsync("_25._tcp.mx1.signed.test", QueryType.TLSA, CancellationToken.None);
        Assert.Equal(DnssecStatus.Secure, first.Status);
        var before = local.LocalQueryCount;

        // 40 lookups at once in the same zone: one question each, no more DS or DNSKEY.
        var names = Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? "_25._tcp.mx2.signed.test" : "mx1.signed.test").ToList();
        var answers = await Task.WhenAll(names.Select(n => local.QueryAsync(n, n.StartsWith('_') ? QueryType.TLSA : QueryType.A, CancellationToken.None)));
        Assert.All(answers, a => Assert.Equal(DnssecStatus.Secure, a.Status));
        Assert.Equal(names.Count, local.LocalQueryCount - before);
    }

    [Fact]
    public async Task Concurrent_first_lookups_share_one_key_fetch()
    {
        using var local = Local();
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => local.QueryAsync("mx2.signed.test", QueryType.A, CancellationToken.None)));
        Assert.All(answers, a => Assert.Equal(DnssecStatus.Secure, a.Status));

        // 20 data questions, and once: root DNSKEY, DS and DNSKEY of signed.test.
        Assert.Equal(20 + 3, local.LocalQueryCount);
    }
}
