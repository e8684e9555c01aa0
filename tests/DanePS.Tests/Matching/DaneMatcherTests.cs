using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DanePS.Engine.Matching;
using DanePS.Engine.Tlsa;
using DanePS.Tests.Fixtures.Pki;
using Xunit;

namespace DanePS.Tests.Matching;

[Trait("Category", "Unit")]
public class DaneMatcherTests : IClassFixture<MatcherPki>
{
    private readonly MatcherPki _pki;

    public DaneMatcherTests(MatcherPki pki) => _pki = pki;

    /// <summary>Association data computed with the .NET base library, independently of the engine.</summary>
    internal static TlsaRecord Record(int usage, int selector, int matching, TestCertificate certificate)
    {
        var selected = selector == 0 ? certificate.Der : certificate.SpkiDer;
        var data = matching switch
        {
            0 => selected,
            1 => SHA256.HashData(selected),
            2 => SHA512.HashData(selected),
            _ => throw new ArgumentOutOfRangeException(nameof(matching)),
        };
        return new TlsaRecord((byte)usage, (byte)selector, (byte)matching, data);
    }

    private DaneMatchResult Match(IEnumerable<TestCertificate> chain, IEnumerable<TlsaRecord> records, DaneProfile profile = DaneProfile.Smtp, string[]? names = null, IEnumerable<TestCertificate>? roots = null, DateTimeOffset? at = null) =>
        DaneMatcher.Match(new DaneMatchRequest
        {
            PresentedChain = chain.Select(c => c.Certificate).ToList(),
            Records = records.ToList(),
            ReferenceNames = names ?? new[] { "mx.example.test" },
            Profile = profile,
            PkixRoots = (roots ?? Array.Empty<TestCertificate>()).Select(r => r.Certificate).ToList(),
            UseSystemTrustStore = false,
            ValidationTime = at,
        });

    public static TheoryData<int, int> SelectorAndMatching()
    {
        var data = new TheoryData<int, int>();
        foreach (var s in new[] { 0, 1 })
        {
            foreach (var m in new[] { 0, 1, 2 })
            {
                data.Add(s, m);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SelectorAndMatching))]
    public void DaneEe_matches_the_leaf_at_depth_0(int selector, int matching)
    {
        var result = Match(new[] { _pki.Leaf, _pki.Intermediate }, new[] { Record(3, selector, matching, _pki.Leaf) });
        Assert.Equal(DaneMatchOutcome.Authenticated, result.Outcome);
        Assert.Equal(0, result.MatchedDepth);
        Assert.Contains("matched EE", result.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SelectorAndMatching))]
    public void DaneEe_for_another_key_does_not_match(int selector, int matching)
    {
        var result = Match(new[] { _pki.Leaf, _pki.Intermediate }, new[] { Record(3, selector, matching, _pki.RsaLeaf) });
        Assert.Equal(DaneMatchOutcome.NotAuthenticated, result.Outcome);
        Assert.Equal(TlsaRecordOutcome.NoMatch, Assert.Single(result.Records).Outcome);
        Assert.Null(result.MatchedRecord);
    }

    [Theory]
    [MemberData(nameof(SelectorAndMatching))]
    public void DaneTa_matches_the_intermediate_at_depth_1(int selector, int matching)
    {
        var result = Match(new[] { _pki.Leaf, _pki.Intermediate }, new[] { Record(2, selector, matching, _pki.Intermediate) });
        Assert.Equal(DaneMatchOutcome.Authenticated, result.Outcome);
        Assert.Equal(1, result.MatchedDepth);
    }

    [Theory]
    [MemberData(nameof(SelectorAndMatching))]
    public void DaneTa_matches_the_root_at_depth_2_when_sent(int selector, int matching)
    {
        var result = Match(new[] { _pki.Leaf, _pki.Intermediate, _pki.Root }, new[] { Record(2, selector, matching, _pki.Root) });
        Assert.Equal(DaneMatchOutcome.Authenticated, result.Outcome);
        Assert.Equal(2, result.MatchedDepth);
    }

    [Theory]
    [MemberData(nameof(SelectorAndMatching))]
    public void DaneTa_of_an_unrelated_ca_does_not_match(int selector, int matching)
    {
        var result = Match(new[] { _pki.Leaf, _pki.Intermediate }, new[] { Record(2, selector, matching, _pki.Unrelated) });
        Assert.Equal(DaneMatchOutcome.NotAuthenticated, result.Outcome);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void DaneTa_digest_of_an_intermediate_the_server_does_not_send_cannot_match(int matching)
    {
        var result = Match(new[] { _pki.Leaf }, new[] { Record(2, 1, matching, _pki.Intermediate) });
        Assert.Equal(DaneMatchOutcome.NotAuthenticated, result.Outcome);
        Assert.Contains("does not send", result.Records[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void DaneTa_full_certificate_from_dns_that_signed_the_top_counts_one_above_it()
    {
        var result = Match(new[] { _pki.Leaf }, new[] { Record(2, 0, 0, _pki.Intermediate) });
        Assert.Equal(DaneMatchOutcome.Authenticated, result.Outcome);
        Assert.Equal(1, result.MatchedDepth);
        Assert.Contains("published in DNS", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void DaneTa_bare_public_key_from_dns_that_signed_the_top_reports_the_depth_of_the_top_as_openssl_does()
    {
        // SSL_get0_dane_authority reports the depth of the top-most certificate the key signed, not one above it.
        var result = Match(new[] { _pki.Leaf, _pki.Intermediate }, new[] { Record(2, 1, 0, _pki.Root) });
        Assert.Equal(DaneMatchOutcome.Authenticated, result.Outcome);
        Assert.Equal(1, result.MatchedDepth);
        Assert.Contains("signed the certificate at depth 1", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void DaneTa_bare_key_that_did_not_sign_the_top_does_not_match()
    {
        var result = Match(new[] { _pki.Leaf, _pki.Intermediate }, new[] { Record(2, 1, 0, _pki.Unrelated) });
        Assert.Equal(DaneMatchOutcome.NotAuthenticated, result.Outcome);
    }

    [Fact]
    public void DaneTa_requires_a_reference_name_on_the_leaf()
    {
        var result = Match(new[] { _pki.Leaf, _pki.Intermediate }, new[] { Record(2, 1, 1, _pki.Intermediate) }, names: new[] { "other.example.test" });
        Assert.Equal(DaneMatchOutcome.NotAuthenticated, result.Outcome);
        Assert.Equal(TlsaRecordOutcome.NameMismatch, result.Records[0].Outcome);
        Assert.False(result.NameMatched);
    }

    [Theory]
    [InlineData("a.mail.example.test", true)]
    [InlineData("A.MAIL.EXAMPLE.TEST.", true)]
    [InlineData("b.a.mail.example.test", false)]
    [InlineData("mail.example.test", false)]
    [InlineData("mx.example.test", true)]
    public void DaneTa_name_check_allows_wildcards_in_the_leftmost_label_only(string name, bool expected)
    {
        var result = Match(new[] { _pki.Leaf, _pki.Intermediate }, new[] { Record(2, 1, 1, _pki.Intermediate) }, names: new[] { name });
        Assert.Equal(expected, result.IsAuthenticated);
    }

    [Fact]
    public void DaneTa_uses_the_common_name_only_when_there_is_no_san()
    {
        var ok = Match(new[] { _pki.CnOnlyLeaf, _pki.Intermediate }, new[] { Record(2, 1, 1, _pki.Intermediate) });
        Assert.True(ok.IsAuthenticated);

        // The SAN leaf's CN is "mx.example.test" too, but "*.mail.example.test" in SAN means CN is ignored.
        var san = Match(new[] { _pki.Leaf, _pki.Intermediate }, new[] { Record(2, 1, 1, _pki.Intermediate) }, names: new[] { "x.mail.example.test" });
        Assert.True(san.IsAuthenticated);
    }

    [Fact]
    public void DaneEe_ignores_names_and_expiry()
    {
        var result = Match(new[] { _pki.ExpiredLeaf, _pki.Intermediate }, new[] { Record(3, 1, 1, _pki.ExpiredLeaf) }, names: new[] { "wrong.example" });
        Assert.True(result.IsAuthenticated);
        Assert.Null(result.NameMatched);
    }

    [Fact]
    public void DaneTa_rejects_an_expired_leaf()
    {
        var result = Match(new[] { _pki.ExpiredLeaf, _pki.Intermediate }, new[] { Record(2, 1, 1, _pki.Intermediate) });
        Assert.False(result.IsAuthenticated);
        Assert.Equal(TlsaRecordOutcome.CertificateExpired, result.Records[0].Outcome);
    }

    [Fact]
    public void Chain_out_of_order_and_with_extra_certificates_still_verifies()
    {
        var result = Match(new[] { _pki.Leaf, _pki.Unrelated, _pki.Root, _pki.Intermediate }, new[] { Record(2, 1, 1, _pki.Root) });
        Assert.True(result.IsAuthenticated);
        Assert.Equal(2, result.MatchedDepth);
        Assert.Equal(3, result.VerifiedChainLength);
    }

    [Fact]
    public void A_ta_record_for_a_sent_certificate_outside_the_leafs_chain_does_not_match()
    {
        var result = Match(new[] { _pki.Leaf, _pki.Intermediate, _pki.Unrelated }, new[] { Record(2, 1, 1, _pki.Unrelated) });
        Assert.False(result.IsAuthenticated);
        Assert.Contains("did not issue", result.Records[0].Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SelectorAndMatching))]
    public void PkixEe_matches_with_a_chain_to_a_given_root(int selector, int matching)
    {
        var result = Match(new[] { _pki.Leaf, _pki.Intermediate }, new[] { Record(1, selector, matching, _pki.Leaf) }, DaneProfile.Generic, roots: new[] { _pki.Root });
        Assert.True(result.IsAuthenticated);
        Assert.Equal(0, result.MatchedDepth);
    }

    [Theory]
    [MemberData(nameof(SelectorAndMatching))]
    public void PkixTa_matches_a_ca_in_the_pkix_chain(int selector, int matching)
    {
        var result = Match(new[] { _pki.Leaf, _pki.Intermediate }, new[] { Record(0, selector, matching, _pki.Root) }, DaneProfile.Generic, roots: new[] { _pki.Root });
        Assert.True(result.IsAuthenticated);
        Assert.Equal(2, result.MatchedDepth);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Pkix_usages_without_a_trusted_root_do_not_match(int usage)
    {
        var target = usage == 1 ? _pki.Leaf : _pki.Intermediate;
        var result = Match(new[] { _pki.Leaf, _pki.Intermediate }, new[] { Record(usage, 1, 1, target) }, DaneProfile.Generic, roots: new[] { _pki.Unrelated });
        Assert.False(result.IsAuthenticated);
        Assert.Equal(TlsaRecordOutcome.NoPkixChain, result.Records[0].Outcome);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Pkix_usages_are_unusable_for_smtp(int usage)
    {
        var target = usage == 1 ? _pki.Leaf : _pki.Intermediate;
        var result = Match(new[] { _pki.Leaf, _pki.Intermediate }, new[] { Record(usage, 1, 1, target) }, DaneProfile.Smtp, roots: new[] { _pki.Root });
        Assert.Equal(DaneMatchOutcome.NoUsableRecords, result.Outcome);
        Assert.Equal(TlsaRecordOutcome.UnusableForProfile, result.Records[0].Outcome);
    }

    [Fact]
    public void Unknown_and_malformed_records_never_match_and_alone_mean_no_usable_records()
    {
        var good = Record(3, 1, 1, _pki.Leaf);
        var records = new[]
        {
            new TlsaRecord(4, 1, 1, good.GetAssociationData()),
            new TlsaRecord(3, 2, 1, good.GetAssociationData()),
            new TlsaRecord(3, 1, 7, good.GetAssociationData()),
            new TlsaRecord(3, 1, 2, good.GetAssociationData()), // SHA2-512 with 32 bytes: malformed
        };
        var result = Match(new[] { _pki.Leaf }, records);
        Assert.Equal(DaneMatchOutcome.NoUsableRecords, result.Outcome);
        Assert.Equal(new[] { TlsaRecordOutcome.Unusable, TlsaRecordOutcome.Unusable, TlsaRecordOutcome.Unusable, TlsaRecordOutcome.Malformed }, result.Records.Select(e => e.Outcome));
    }

    [Fact]
    public void A_malformed_stronger_digest_does_not_suppress_a_good_weaker_one()
    {
        var good = Record(3, 1, 1, _pki.Leaf);
        var malformed512 = new TlsaRecord(3, 1, 2, new byte[10]);
        var result = Match(new[] { _pki.Leaf }, new[] { malformed512, good });
        Assert.True(result.IsAuthenticated);
    }

    [Fact]
    public void Digest_agility_ignores_weaker_digests_for_the_same_usage_and_selector()
    {
        // SHA2-512 record is stale (other key); the SHA2-256 record matches but is superseded, so no authentication.
        var records = new[] { Record(3, 1, 1, _pki.Leaf), Record(3, 1, 2, _pki.RsaLeaf) };
        var result = Match(new[] { _pki.Leaf }, records);
        Assert.False(result.IsAuthenticated);
        Assert.Equal(TlsaRecordOutcome.SupersededByStrongerDigest, result.Records[0].Outcome);
        Assert.Equal(TlsaRecordOutcome.NoMatch, result.Records[1].Outcome);
    }

    [Fact]
    public void Digest_agility_is_per_usage_and_selector()
    {
        // A SHA2-512 SPKI record does not suppress a SHA2-256 full-certificate record.
        var records = new[] { Record(3, 0, 1, _pki.Leaf), Record(3, 1, 2, _pki.RsaLeaf) };
        var result = Match(new[] { _pki.Leaf }, records);
        Assert.True(result.IsAuthenticated);
        Assert.Equal(TlsaSelector.Cert, result.GetMatchedRecord()!.Selector);
    }

    [Fact]
    public void Full_data_is_not_a_digest_and_is_never_superseded()
    {
        // OpenSSL's dane_match skips only digests weaker than the strongest; Full(0) records always count.
        var records = new[] { Record(3, 1, 0, _pki.Leaf), Record(3, 1, 1, _pki.RsaLeaf) };
        var result = Match(new[] { _pki.Leaf }, records);
        Assert.True(result.IsAuthenticated);
        Assert.Same(records[0], result.GetMatchedRecord());
        Assert.Equal(TlsaRecordOutcome.NoMatch, result.Records[1].Outcome);
    }

    [Fact]
    public void Current_and_next_key_both_listed_matches_the_current_one()
    {
        var records = new[] { Record(3, 1, 1, _pki.RsaLeaf), Record(3, 1, 1, _pki.Leaf) };
        var result = Match(new[] { _pki.Leaf, _pki.Intermediate }, records);
        Assert.True(result.IsAuthenticated);
        Assert.Same(records[1], result.GetMatchedRecord());
        Assert.Equal(TlsaRecordOutcome.NoMatch, result.Records[0].Outcome);
    }

    [Fact]
    public void Ee_record_for_the_intermediate_explains_the_usage_mistake()
    {
        var result = Match(new[] { _pki.Leaf, _pki.Intermediate }, new[] { Record(3, 1, 1, _pki.Intermediate) });
        Assert.False(result.IsAuthenticated);
        Assert.Contains("DANE-EE applies to the leaf only", result.Records[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Rsa_leaf_under_an_ecdsa_intermediate_and_rsa_root_verifies()
    {
        var result = Match(new[] { _pki.RsaLeaf, _pki.Intermediate, _pki.Root }, new[] { Record(2, 0, 1, _pki.Root) });
        Assert.True(result.IsAuthenticated);
        Assert.Equal(2, result.MatchedDepth);
    }

    [Fact]
    public void An_empty_chain_is_an_argument_error()
    {
        Assert.Throws<ArgumentException>(() => DaneMatcher.Match(new DaneMatchRequest { Records = new[] { Record(3, 1, 1, _pki.Leaf) } }));
    }
}
