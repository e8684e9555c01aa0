using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using DanePS.Engine;
using DanePS.Engine.Certificates;
using DanePS.Engine.Checking;
using DanePS.Engine.Dns;
using DanePS.Engine.Matching;
using DanePS.Engine.Tls;
using DanePS.Engine.Tlsa;
using DanePS.Tests.Fixtures.Pki;
using DanePS.Tests.Matching;
using Xunit;

namespace DanePS.Tests.Checking;

/// <summary>The rules behind findings and verdicts, without servers: DNSSEC applicability and "not compared".</summary>
[Trait("Category", "Unit")]
public class FindingRulesTests : IClassFixture<MatcherPki>
{
    private readonly MatcherPki _pki;

    public FindingRulesTests(MatcherPki pki) => _pki = pki;

    private DaneMatchResult Match(params TlsaRecord[] records) => DaneMatcher.Match(new DaneMatchRequest
    {
        PresentedChain = new[] { _pki.Leaf.Certificate, _pki.Intermediate.Certificate },
        Records = records,
        ReferenceNames = new[] { "mx.example.test" },
        Profile = DaneProfile.Smtp,
    });

    private DnsTlsaRecord FromDns(TestCertificateRecord which, DnssecStatus? status)
    {
        var record = which == TestCertificateRecord.Leaf ? DaneMatcherTests.Record(3, 1, 1, _pki.Leaf) : DaneMatcherTests.Record(3, 1, 1, _pki.RsaLeaf);
        return new DnsTlsaRecord(record, "mx.example.test", 25) { DnssecStatus = status };
    }

    public enum TestCertificateRecord
    {
        Leaf,
        Other,
    }

    [Theory]
    [InlineData(DnssecStatus.Secure, DaneVerdict.Pass, true, null)]
    [InlineData(DnssecStatus.Insecure, DaneVerdict.NotDane, false, "DANE does not apply")]
    [InlineData(DnssecStatus.Bogus, DaneVerdict.DnssecFailure, false, "cannot be trusted")]
    [InlineData(DnssecStatus.Indeterminate, DaneVerdict.DnssecFailure, false, "cannot be trusted")]
    public void A_match_on_records_from_dns_is_judged_by_their_dnssec_status(DnssecStatus status, DaneVerdict verdict, bool authenticated, string? says)
    {
        var m = Match(FromDns(TestCertificateRecord.Leaf, status));
        Assert.Equal(DaneMatchOutcome.Authenticated, m.Outcome); // the match is computed whatever the status
        Assert.Equal(0, m.MatchedDepth);
        Assert.Equal(status, m.DnssecStatus);
        Assert.Equal(verdict, m.Verdict);
        Assert.Equal(authenticated, m.IsAuthenticated);
        if (says is null)
        {
            Assert.DoesNotContain("_25._tcp.", m.Summary, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains($"The TLSA records at _25._tcp.mx.example.test. are {status}", m.Summary, StringComparison.Ordinal);
            Assert.Contains(says, m.Summary, StringComparison.Ordinal);
            Assert.Contains("matched", m.Summary, StringComparison.Ordinal); // and what matched
        }
    }

    [Fact]
    public void A_mismatch_on_insecure_records_is_not_dane_not_fail_and_records_given_locally_are_taken_as_given()
    {
        var insecureMiss = Match(FromDns(TestCertificateRecord.Other, DnssecStatus.Insecure));
        Assert.Equal(DaneMatchOutcome.NotAuthenticated, insecureMiss.Outcome);
        Assert.Equal(DaneVerdict.NotDane, insecureMiss.Verdict);

        var local = Match(DaneMatcherTests.Record(3, 1, 1, _pki.Leaf));
        Assert.Null(local.DnssecStatus);
        Assert.Equal(DaneVerdict.Pass, local.Verdict);
        Assert.True(local.IsAuthenticated);
        Assert.Equal(DaneVerdict.Fail, Match(DaneMatcherTests.Record(3, 1, 1, _pki.RsaLeaf)).Verdict);
        Assert.Equal(DaneVerdict.NotDane, Match(DaneMatcherTests.Record(1, 1, 1, _pki.Leaf)).Verdict); // PKIX-EE on SMTP: no usable record
    }

    [Fact]
    public void The_least_trustworthy_status_decides_when_records_are_mixed()
    {
        var m = Match(FromDns(TestCertificateRecord.Leaf, DnssecStatus.Secure), FromDns(TestCertificateRecord.Other, DnssecStatus.Bogus));
        Assert.Equal(DnssecStatus.Bogus, m.DnssecStatus);
        Assert.Equal(DaneVerdict.DnssecFailure, m.Verdict);
        Assert.False(m.IsAuthenticated);
    }

    private static TlsaRecordSet Set(params string[] addresses) => new("mx.example.test", 25, "tcp")
    {
        Addresses = new ReadableList<DnsAddress>(addresses.Select(a => new DnsAddress(IPAddress.Parse(a), 300, DnssecStatus.Secure)).ToList()),
    };

    private DaneEndpointResult Result(TlsaRecordSet set, string address, bool presented, TlsKeyType? uncheckedKeyType = null) =>
        new(set, IPAddress.Parse(address))
        {
            PresentedChain = new ReadableList<CertificateDetails>(presented ? CertificateDetails.FromChain(new[] { _pki.Leaf.Certificate }, null).ToList() : new List<CertificateDetails>()),
            UncheckedKeyType = uncheckedKeyType,
        };

    [Fact]
    public void Not_compared_says_exactly_what_was_not_compared()
    {
        var two = Set("192.0.2.1", "192.0.2.2");
        Assert.Null(RecordSetFindings.NotCompared(two, new[] { Result(two, "192.0.2.1", true), Result(two, "192.0.2.2", true) }));
        Assert.Equal("1 of 2 addresses unreachable (192.0.2.2)",
            RecordSetFindings.NotCompared(two, new[] { Result(two, "192.0.2.1", true), Result(two, "192.0.2.2", false) }));
        Assert.Equal("2 of 2 addresses unreachable (192.0.2.1, 192.0.2.2)",
            RecordSetFindings.NotCompared(two, new[] { Result(two, "192.0.2.1", false), Result(two, "192.0.2.2", false) }));

        // A key type whose handshake failed was not compared either.
        var one = Set("2001:db8::25");
        Assert.Equal("the RSA certificate of 1 of 1 address not fetched (2001:db8::25)",
            RecordSetFindings.NotCompared(one, new[] { Result(one, "2001:db8::25", true, TlsKeyType.Rsa) }));
        Assert.Equal("1 of 2 addresses unreachable (192.0.2.2); the ECDSA certificate of 1 of 2 addresses not fetched (192.0.2.1)",
            RecordSetFindings.NotCompared(two, new[] { Result(two, "192.0.2.1", true, TlsKeyType.Ecdsa), Result(two, "192.0.2.2", false) }));

        var none = Set();
        Assert.Equal("mx.example.test has no address", RecordSetFindings.NotCompared(none, new[] { new DaneEndpointResult(none, null) }));
    }
}
