using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Dns;
using DanePS.Engine.Dnssec;
using DanePS.Engine.Tlsa;
using Xunit;

namespace DanePS.Tests.Dnssec;

/// <summary>
/// Answers signed in the test (.NET ECDsa) and broken one way each: every Bogus (or Insecure) comes with its specific
/// reason, and the well-formed tree validates.
/// </summary>
public class BogusReasonTests
{
    private static async Task<ValidatedAnswer> Ask(SignedTree tree, DomainName name, ushort type, string? anchor = null)
    {
        tree.Start();
        return await tree.Validator(anchor).QueryAsync(name, type, CancellationToken.None);
    }

    private static void AssertBogus(ValidatedAnswer answer, string reason)
    {
        Assert.Null(answer.Failure);
        Assert.Equal(DnssecStatus.Bogus, answer.Status);
        Assert.Contains(reason, answer.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_well_formed_tree_is_secure_data_nxdomain_and_nodata()
    {
        using var tree = new SignedTree();
        var a = await Ask(tree, SignedTree.Www, DnsWire.TypeA);
        Assert.Equal(DnssecStatus.Secure, a.Status);
        Assert.Single(a.Records);
        var validator = tree.Validator();
        var nx = await validator.QueryAsync(DomainName.Parse("nosuch.example."), DnsWire.TypeA, CancellationToken.None);
        Assert.True(nx.NxDomain);
        Assert.Equal(DnssecStatus.Secure, nx.Status);
        var nodata = await validator.QueryAsync(SignedTree.Www, DnsWire.TypeTlsa, CancellationToken.None);
        Assert.False(nodata.NxDomain);
        Assert.Empty(nodata.Records);
        Assert.Equal(DnssecStatus.Secure, nodata.Status);
    }

    [Fact]
    public async Task Expired_signature()
    {
        using var tree = new SignedTree { Inception = DateTimeOffset.UtcNow.AddDays(-30), Expiration = DateTimeOffset.UtcNow.AddDays(-1) };
        AssertBogus(await Ask(tree, SignedTree.Www, DnsWire.TypeA), "signature expired");
    }

    [Fact]
    public async Task Signature_not_yet_valid()
    {
        using var tree = new SignedTree { Inception = DateTimeOffset.UtcNow.AddDays(1), Expiration = DateTimeOffset.UtcNow.AddDays(30) };
        AssertBogus(await Ask(tree, SignedTree.Www, DnsWire.TypeA), "signature not yet valid");
    }

    [Fact]
    public async Task A_signature_a_little_in_the_future_is_within_the_clock_skew_allowance()
    {
        using var tree = new SignedTree { Inception = DateTimeOffset.UtcNow.AddMinutes(2) };
        Assert.Equal(DnssecStatus.Secure, (await Ask(tree, SignedTree.Www, DnsWire.TypeA)).Status);
    }

    [Fact]
    public async Task Wrong_signer_name()
    {
        using var tree = new SignedTree { DataSigner = SignedTree.Www };
        AssertBogus(await Ask(tree, SignedTree.Www, DnsWire.TypeA), "wrong signer");
    }

    [Fact]
    public async Task No_ds_matches_a_dnskey()
    {
        using var tree = new SignedTree { DsOfAnotherKey = true };
        AssertBogus(await Ask(tree, SignedTree.Www, DnsWire.TypeA), "no DS matches a DNSKEY");
    }

    [Fact]
    public async Task Revoked_key()
    {
        using var tree = new SignedTree { ZoneKeyFlags = 257 | 0x80 };
        AssertBogus(await Ask(tree, SignedTree.Www, DnsWire.TypeA), "revoked key");
    }

    [Fact]
    public async Task Signature_over_different_data()
    {
        using var tree = new SignedTree
        {
            AfterSigning = (owner, type, rrset) => type == DnsWire.TypeA
                ? rrset.Select(r => new WireRecord(r.Owner, r.Type, r.Class, r.Ttl, new byte[] { 192, 0, 2, 99 })).ToList()
                : rrset,
        };
        AssertBogus(await Ask(tree, SignedTree.Www, DnsWire.TypeA), "signature over different data");
    }

    [Fact]
    public async Task Stripped_rrsig_on_data_of_a_signed_zone()
    {
        using var tree = new SignedTree { StripDataSignatures = true };
        AssertBogus(await Ask(tree, SignedTree.WwwTlsa, DnsWire.TypeTlsa), "missing RRSIG");
    }

    [Fact]
    public async Task A_denial_whose_nsec_does_not_cover_the_name()
    {
        using var tree = new SignedTree();
        tree.Nsecs.RemoveAt(0); // the NSEC that covers nosuch.example. (example. → www.example.) is gone
        var answer = await Ask(tree, DomainName.Parse("nosuch.example."), DnsWire.TypeA);
        AssertBogus(answer, "the denial does not cover the name");
        Assert.Empty(answer.Records);
    }

    [Fact]
    public async Task A_nodata_contradicted_by_the_nsec_bitmap()
    {
        using var tree = new SignedTree();
        tree.Nsecs[1] = (SignedTree.Www, SignedTree.WwwTlsa, new[] { DnsWire.TypeA, DnsWire.TypeMx, DnsWire.TypeRrsig, DnsWire.TypeNsec });
        AssertBogus(await Ask(tree, SignedTree.Www, DnsWire.TypeMx), "lists MX");
    }

    [Fact]
    public async Task Wildcard_expansion_without_proof_is_bogus_and_with_proof_secure()
    {
        using var tree = new SignedTree { WildcardName = DomainName.Parse("zzz.example.") };
        tree.Nsecs.Clear();
        AssertBogus(await Ask(tree, DomainName.Parse("zzz.example."), DnsWire.TypeA), "wildcard expansion without proof");
    }

    [Fact]
    public async Task A_root_that_no_anchor_validates_is_reported_with_both_sides_key_tags()
    {
        using var tree = new SignedTree();
        var answer = await Ask(tree, SignedTree.Www, DnsWire.TypeA, anchor: TrustAnchors.IanaRootAnchors[0]);
        AssertBogus(answer, "root DNSKEY RRset is validated by no trust anchor");
        Assert.Contains("20326", answer.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_zone_signed_only_with_an_unsupported_algorithm_is_insecure_with_the_reason()
    {
        using var tree = new SignedTree { ZoneAlgorithm = 5 }; // RSASHA1: unsupported, as RFC 9905 §2 has validators treat it
        var answer = await Ask(tree, SignedTree.Www, DnsWire.TypeA);
        Assert.Null(answer.Failure);
        Assert.Equal(DnssecStatus.Insecure, answer.Status);
        Assert.Contains("unsupported algorithm", answer.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resolver_that_strips_the_root_rrsig_is_a_specific_failure()
    {
        using var tree = new SignedTree { StripRootSignatures = true };
        var answer = await Ask(tree, SignedTree.Www, DnsWire.TypeA);
        Assert.Equal(DnsFailure.ResolverRemovesDnssec, answer.Failure);
        Assert.Contains("removes DNSSEC records", answer.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("-Server", answer.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resolver_that_strips_rrsigs_is_a_specific_failure_through_the_reader()
    {
        using var tree = new SignedTree { StripRootSignatures = true, StripDataSignatures = true }.Start();
        var options = new DnsResolverOptions { Validation = DnssecValidationMode.Local, Timeout = TimeSpan.FromSeconds(2), Retries = 0 };
        options.Servers.Add(tree.EndPoint);
        options.TrustAnchors.Add(tree.Anchor);
        using var reader = new DaneDnsReader(options);
        var set = await reader.GetTlsaAsync("www.example", 25, "tcp", authoritative: false, CancellationToken.None);
        Assert.Equal(TlsaLookupOutcome.Failed, set.Outcome);
        Assert.Equal(DnsFailure.ResolverRemovesDnssec, set.Failure);
        Assert.Contains("use -Server with another resolver", set.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, DnsFailure.ServerFailure)]
    [InlineData(false, DnsFailure.ResolverRemovesDnssec)]
    public async Task Servfail_with_checking_disabled_is_a_server_failure_and_from_a_resolver_that_ignores_cd_a_specific_one(bool echoesCd, DnsFailure expected)
    {
        using var server = Fixtures.Dns.HostileDnsServer.Start(q =>
        {
            var response = q.Respond(rcode: 2, authenticData: false);
            if (echoesCd)
            {
                response[3] |= 0x10;
            }

            return response;
        });
        var validator = new DnssecValidator(new DnsWireClient(new[] { server.EndPoint }, TimeSpan.FromSeconds(2), 0), TrustAnchors.Default);
        var answer = await validator.QueryAsync(SignedTree.Www, DnsWire.TypeA, CancellationToken.None);
        Assert.Equal(expected, answer.Failure);
        Assert.Equal(DnssecStatus.Indeterminate, answer.Status);
    }

    [Fact]
    public async Task A_dname_chain_is_validated_by_its_dname_and_a_synthesised_cname_that_does_not_follow_is_bogus()
    {
        using var tree = new SignedTree();
        var answer = await Ask(tree, DomainName.Parse("www.d.example."), DnsWire.TypeA);
        Assert.Null(answer.Failure);
        Assert.Equal(DnssecStatus.Secure, answer.Status);
        Assert.Equal("www.example.", Assert.Single(answer.CnameChain).ToString());
        Assert.Single(answer.Records);

        using var lying = new SignedTree { SynthesisedTarget = DomainName.Parse("evil.example.") };
        AssertBogus(await Ask(lying, DomainName.Parse("www.d.example."), DnsWire.TypeA), "does not follow from the DNAME");
    }

    [Fact]
    public async Task Keys_are_fetched_once_per_reader()
    {
        using var tree = new SignedTree().Start();
        var validator = tree.Validator();
        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => validator.QueryAsync(SignedTree.Www, DnsWire.TypeA, CancellationToken.None)));
        Assert.All(answers, a => Assert.Equal(DnssecStatus.Secure, a.Status));
        Assert.Equal(30 + 3, validator.Client.QueryCount); // root DNSKEY, example. DS and DNSKEY once
        Assert.Equal(30 + 3, tree.Queries);
    }
}
