using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Matching;
using DanePS.Engine.Tls;
using DanePS.Engine.Tlsa;
using DanePS.Tests.Fixtures;
using DanePS.Tests.Fixtures.Servers;
using DanePS.Tests.Fixtures.Pki;
using Xunit;
using static DanePS.Tests.Fixtures.Pki.CertificateTemplate;

namespace DanePS.Tests.Matching;

/// <summary>
/// Every chain rule, proved against OpenSSL itself: the fixture PKI mints the chain, <c>openssl s_server</c> sends
/// it exactly in that order, and DanePS (its TLS probe, then <see cref="DaneMatcher"/>) must reach the verdict
/// <c>openssl s_client -dane_tlsa_rrdata … -dane_ee_no_namechecks</c> reaches, at the same depth
/// (SSL_get0_dane_authority). DANE-EE is checked without names, as RFC 7671 §5.1 and RFC 7672 §3.1.1 ask.
/// </summary>
public class ChainRulesAgainstOpenSslTests
{
    private const string Name = "mx.example.test";

    private static TlsaRecord Rec(int usage, int selector, int matching, TestCertificate certificate) =>
        DaneMatcherTests.Record(usage, selector, matching, certificate);

    private static string RrData(TlsaRecord r) =>
        $"{(int)r.Usage} {(int)r.Selector} {(int)r.MatchingType} {Convert.ToHexString(r.GetAssociationData())}";

    private static async Task<(OpenSslDaneVerdict OpenSsl, DaneMatchResult DanePs)> VerdictsAsync(
        TestCertificate leaf, TestCertificate[] sent, TlsaRecord[] records, TestCertificate[]? pkixRoots = null)
    {
        await using var server = await OpenSslTestServer.StartAsync(leaf, sent);
        string? rootsDirectory = null;
        try
        {
            string? rootsFile = null;
            if (pkixRoots is not null)
            {
                rootsDirectory = FixtureDirectory.Create("pkix-roots");
                rootsFile = TestPki.WriteChain(rootsDirectory, "roots.pem", pkixRoots);
            }

            var openssl = await OpenSslClient.DaneVerifyAsync(server.EndPoint, Name, records.Select(RrData), noDaneEeNameChecks: true, rootsFile);
            var probe = await TlsProbe.ProbeAsync(Name, server.EndPoint.Address, server.EndPoint.Port, StartTlsProtocol.ImplicitTls, null, CancellationToken.None);
            var danePs = DaneMatcher.Match(
                new DaneMatchRequest
                {
                    Records = records,
                    ReferenceNames = new[] { Name },
                    Profile = pkixRoots is null ? DaneProfile.Smtp : DaneProfile.Generic,
                    PkixRoots = (pkixRoots ?? Array.Empty<TestCertificate>()).Select(r => r.Certificate).ToList(),
                    UseSystemTrustStore = false,
                },
                probe.ParsedChain);
            return (openssl, danePs);
        }
        finally
        {
            FixtureDirectory.Delete(rootsDirectory);
        }
    }

    /// <summary>OpenSSL reaches <paramref name="expected"/>, and DanePS reaches the same verdict at the same depth.</summary>
    private static void AssertBothSay(bool expected, (OpenSslDaneVerdict OpenSsl, DaneMatchResult DanePs) verdicts)
    {
        var (openssl, danePs) = verdicts;
        var danePsSays = string.Join("; ", danePs.Records.Select(e => e.ToString()));
        Assert.True(openssl.Verified == expected, $"The fixture is not what the test thinks: {openssl}.\n{openssl.Output}");
        Assert.True(danePs.IsAuthenticated == expected, $"DanePS disagrees with {openssl}: {danePsSays}");
        if (expected)
        {
            Assert.True(openssl.Depth == danePs.MatchedDepth, $"Depth: {openssl} but DanePS says {danePs.MatchedDepth}: {danePsSays}");
        }
    }

    private static TestCertificate Root(string name = "Root", int? pathLength = null) => TestPki.Mint(Ca(name, pathLength));

    private static TestCertificate ServerLeaf(TestCertificate issuer) => TestPki.Mint(Leaf(Name), issuer);

    // ---- Issuers must be CAs ----

    public static TheoryData<string, bool> IssuerRecords() => new()
    {
        { "2 1 1 root, sent", true },
        { "2 0 0 root, not sent", true },
        { "2 1 0 root key, not sent", true },
        { "2 1 1 root, sent", false },
        { "2 0 0 root, not sent", false },
        { "2 1 0 root key, not sent", false },
    };

    [Theory]
    [MemberData(nameof(IssuerRecords))]
    public async Task An_intermediate_with_basic_constraints_ca_false_cannot_issue(string record, bool intermediateIsCa)
    {
        var root = Root();
        var intermediate = TestPki.Mint(
            new CertificateTemplate { Subject = "CN=Intermediate, O=DanePS Test" }.With(BasicConstraints(intermediateIsCa, null)).With(KeyUsage(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature)),
            root);
        var leaf = ServerLeaf(intermediate);
        var (tlsa, sent) = record switch
        {
            "2 1 1 root, sent" => (Rec(2, 1, 1, root), new[] { intermediate, root }),
            "2 0 0 root, not sent" => (Rec(2, 0, 0, root), new[] { intermediate }),
            _ => (Rec(2, 1, 0, root), new[] { intermediate }),
        };

        AssertBothSay(intermediateIsCa, await VerdictsAsync(leaf, sent, new[] { tlsa }));
    }

    [Fact]
    public async Task A_trust_anchor_that_is_not_a_ca_cannot_issue_either()
    {
        var root = Root();
        var notCa = TestPki.Mint(new CertificateTemplate { Subject = "CN=Ordinary Leaf, O=DanePS Test" }.With(BasicConstraints(false, null)), root);
        var leaf = ServerLeaf(notCa);
        AssertBothSay(false, await VerdictsAsync(leaf, new[] { notCa, root }, new[] { Rec(2, 1, 1, notCa) }));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    public async Task The_path_length_constraint_of_the_trust_anchor_is_honoured(int pathLength, bool expected)
    {
        var root = Root(pathLength: pathLength);
        var intermediate = TestPki.Mint(Ca("Intermediate"), root);
        var leaf = ServerLeaf(intermediate);
        AssertBothSay(expected, await VerdictsAsync(leaf, new[] { intermediate, root }, new[] { Rec(2, 1, 1, root) }));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    public async Task The_path_length_constraint_of_an_intermediate_is_honoured(int pathLength, bool expected)
    {
        var root = Root();
        var upper = TestPki.Mint(Ca("Upper", pathLength), root);
        var lower = TestPki.Mint(Ca("Lower"), upper);
        var leaf = ServerLeaf(lower);
        AssertBothSay(expected, await VerdictsAsync(leaf, new[] { lower, upper, root }, new[] { Rec(2, 1, 1, root) }));
    }

    [Theory]
    [InlineData(X509KeyUsageFlags.DigitalSignature, false)]
    [InlineData(X509KeyUsageFlags.KeyCertSign, true)]
    public async Task An_issuer_whose_key_usage_lacks_keyCertSign_cannot_issue(X509KeyUsageFlags usage, bool expected)
    {
        var root = Root();
        var intermediate = TestPki.Mint(new CertificateTemplate { Subject = "CN=Intermediate, O=DanePS Test" }.With(BasicConstraints(true, null)).With(KeyUsage(usage)), root);
        var leaf = ServerLeaf(intermediate);
        AssertBothSay(expected, await VerdictsAsync(leaf, new[] { intermediate, root }, new[] { Rec(2, 1, 1, root) }));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task An_unknown_critical_extension_on_an_issuer_breaks_the_chain(bool critical, bool expected)
    {
        var root = Root();
        var intermediate = TestPki.Mint(Ca("Intermediate").With(Unknown(critical)), root);
        var leaf = ServerLeaf(intermediate);
        AssertBothSay(expected, await VerdictsAsync(leaf, new[] { intermediate, root }, new[] { Rec(2, 1, 1, root) }));
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, true)] // DANE-EE looks at nothing but the leaf's bytes (RFC 7671 §5.1)
    public async Task An_unknown_critical_extension_on_the_leaf_breaks_DANE_TA_but_not_DANE_EE(int usage, bool expected)
    {
        var root = Root();
        var leaf = TestPki.Mint(Leaf(Name).With(Unknown(critical: true)), root);
        var record = usage == 2 ? Rec(2, 1, 1, root) : Rec(3, 1, 1, leaf);
        AssertBothSay(expected, await VerdictsAsync(leaf, new[] { root }, new[] { record }));
    }

    [Theory]
    [InlineData("example.test", true)]
    [InlineData("example.org", false)]
    public async Task Name_constraints_of_an_issuer_bind_the_leaf(string permitted, bool expected)
    {
        var root = Root();
        var intermediate = TestPki.Mint(Ca("Intermediate").With(NameConstraints(new[] { permitted })), root);
        var leaf = ServerLeaf(intermediate);
        AssertBothSay(expected, await VerdictsAsync(leaf, new[] { intermediate, root }, new[] { Rec(2, 1, 1, root) }));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    public async Task An_extended_key_usage_without_serverAuth_breaks_DANE_TA(bool onLeaf, bool expected)
    {
        const string clientAuth = "1.3.6.1.5.5.7.3.2";
        var root = Root();
        var intermediate = TestPki.Mint(onLeaf ? Ca("Intermediate") : Ca("Intermediate").With(ExtendedKeyUsage(clientAuth)), root);
        var leaf = onLeaf
            ? TestPki.Mint(new CertificateTemplate { Subject = $"CN={Name}" }.With(ExtendedKeyUsage(clientAuth)).With(SubjectAltNames(Name)), intermediate)
            : ServerLeaf(intermediate);
        AssertBothSay(expected, await VerdictsAsync(leaf, new[] { intermediate, root }, new[] { Rec(2, 1, 1, root) }));
    }

    [Fact]
    public async Task A_self_signed_version_1_root_at_the_top_is_a_ca()
    {
        var root = TestPki.Mint(new CertificateTemplate { Subject = "CN=V1 Root, O=DanePS Test", Version = 1 });
        var intermediate = TestPki.Mint(Ca("Intermediate"), root);
        var leaf = ServerLeaf(intermediate);
        AssertBothSay(true, await VerdictsAsync(leaf, new[] { intermediate, root }, new[] { Rec(2, 1, 1, root) }));
    }

    [Fact]
    public async Task A_version_1_intermediate_below_the_top_is_not_a_ca()
    {
        var root = Root();
        var intermediate = TestPki.Mint(new CertificateTemplate { Subject = "CN=V1 Intermediate, O=DanePS Test", Version = 1 }, root);
        var leaf = ServerLeaf(intermediate);
        AssertBothSay(false, await VerdictsAsync(leaf, new[] { intermediate, root }, new[] { Rec(2, 1, 1, root) }));
    }

    [Fact]
    public async Task An_expired_self_signed_trust_anchor_is_refused()
    {
        var root = TestPki.Mint(new CertificateTemplate { Subject = "CN=Old Root, O=DanePS Test", NotBefore = DateTimeOffset.UtcNow.AddYears(-3), NotAfter = DateTimeOffset.UtcNow.AddDays(-1) }
            .With(BasicConstraints(true, null)).With(KeyUsage(X509KeyUsageFlags.KeyCertSign)));
        var intermediate = TestPki.Mint(Ca("Intermediate"), root);
        var leaf = ServerLeaf(intermediate);
        AssertBothSay(false, await VerdictsAsync(leaf, new[] { intermediate, root }, new[] { Rec(2, 1, 1, root) }));
    }

    // ---- Digest agility (RFC 7671 §9): among digests only the strongest counts; Full(0) is no digest ----

    [Theory]
    [InlineData("3 1 1 stale, 3 1 2 stale", false)]
    [InlineData("3 1 1 good, 3 1 2 stale", false)] // the weaker digest is ignored when a stronger one is published
    [InlineData("3 1 2 good, 3 1 1 stale", true)]
    [InlineData("3 1 0 good, 3 1 1 stale", true)] // Full(0) is not a digest: never superseded (as OpenSSL's dane_match)
    [InlineData("3 1 0 good, 3 1 2 stale", true)]
    [InlineData("3 1 0 stale, 3 1 1 good", true)]
    public async Task Digest_agility_ignores_weaker_digests_but_never_full_data(string records, bool expected)
    {
        var root = Root();
        var leaf = ServerLeaf(root);
        var stale = ServerLeaf(root);
        var parsed = records.Split(", ").Select(r =>
        {
            var f = r.Split(' ');
            return Rec(int.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture), f[3] == "good" ? leaf : stale);
        }).ToArray();
        AssertBothSay(expected, await VerdictsAsync(leaf, new[] { root }, parsed));
    }

    // ---- DANE-EE takes any leaf ----

    public static TheoryData<string> UnusualLeaves() => new()
    {
        "empty subject and issuer",
        "version 1",
        "serial of 30 octets",
        "BMPString subject",
        "T61String subject",
        "duplicated extension",
        "unknown critical extension",
        "no extensions at all",
    };

    private static TestCertificate UnusualLeaf(string kind) => TestPki.Mint(kind switch
    {
        "empty subject and issuer" => new CertificateTemplate { SubjectDer = EmptyName }.With(SubjectAltNames(Name)),
        "version 1" => new CertificateTemplate { Subject = $"CN={Name}", Version = 1 },
        "serial of 30 octets" => new CertificateTemplate { Subject = $"CN={Name}", Serial = Enumerable.Range(1, 30).Select(i => (byte)i).ToArray() },
        "BMPString subject" => new CertificateTemplate { SubjectDer = NameWithStringType(Name, UniversalTagNumber.BMPString) },
        "T61String subject" => new CertificateTemplate { SubjectDer = NameWithStringType(Name, UniversalTagNumber.T61String) },
        "duplicated extension" => Leaf(Name).With(SubjectAltNames("other.example.test")),
        "unknown critical extension" => Leaf(Name).With(Unknown(critical: true)),
        _ => new CertificateTemplate { Subject = $"CN={Name}" },
    });

    [Theory]
    [MemberData(nameof(UnusualLeaves))]
    public async Task Dane_ee_authenticates_an_unusual_but_parseable_leaf_by_its_key(string kind)
    {
        var leaf = UnusualLeaf(kind);
        AssertBothSay(true, await VerdictsAsync(leaf, Array.Empty<TestCertificate>(), new[] { Rec(3, 1, 1, leaf) }));
    }

    [Theory]
    [MemberData(nameof(UnusualLeaves))]
    public async Task Dane_ee_selector_0_hashes_the_unusual_leaf_exactly_as_sent(string kind)
    {
        var leaf = UnusualLeaf(kind);
        var result = await VerdictsAsync(leaf, Array.Empty<TestCertificate>(), new[] { Rec(3, 0, 1, leaf) });
        AssertBothSay(true, result);
    }

    // ---- A trust anchor published in full can sit anywhere ----

    /// <summary>Root A signs the intermediate; the server sends the intermediate, Root A cross-signed by Root B, and Root B.</summary>
    private static (TestCertificate RootA, TestCertificate Leaf, TestCertificate[] Sent) ChainSendingRootACrossSignedByRootB()
    {
        var rootA = Root("Root A");
        var rootB = Root("Root B");
        var rootACrossSigned = TestPki.Mint(new CertificateTemplate { Subject = "CN=Root A, O=DanePS Test", Key = rootA.Key }.With(BasicConstraints(true, null)).With(KeyUsage(X509KeyUsageFlags.KeyCertSign)), rootB);
        var intermediate = TestPki.Mint(Ca("Intermediate"), rootA);
        return (rootA, ServerLeaf(intermediate), new[] { intermediate, rootACrossSigned, rootB });
    }

    [Fact]
    public async Task A_2_0_0_root_authenticates_a_chain_that_sends_it_cross_signed_by_another_root()
    {
        var (rootA, leaf, sent) = ChainSendingRootACrossSignedByRootB();
        AssertBothSay(true, await VerdictsAsync(leaf, sent, new[] { Rec(2, 0, 0, rootA) }));
    }

    [Fact]
    public async Task A_2_0_0_root_the_server_does_not_send_authenticates_at_the_depth_above_the_top()
    {
        var root = Root();
        var intermediate = TestPki.Mint(Ca("Intermediate"), root);
        var leaf = ServerLeaf(intermediate);
        AssertBothSay(true, await VerdictsAsync(leaf, new[] { intermediate }, new[] { Rec(2, 0, 0, root) }));
    }

    [Fact]
    public async Task A_digest_of_a_root_sent_only_cross_signed_does_not_match()
    {
        // Only records in full carry the certificate; a digest matches certificates actually in the chain.
        var (rootA, leaf, sent) = ChainSendingRootACrossSignedByRootB();
        AssertBothSay(false, await VerdictsAsync(leaf, sent, new[] { Rec(2, 0, 1, rootA) }));
    }

    // ---- Certificates in DNS help build PKIX paths ----

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_pkix_ta_certificate_in_dns_supplies_the_missing_intermediate_for_pkix_ee(bool published)
    {
        var root = Root();
        var intermediate = TestPki.Mint(Ca("Intermediate"), root);
        var leaf = ServerLeaf(intermediate);
        var records = new List<TlsaRecord> { Rec(1, 1, 1, leaf) };
        if (published)
        {
            records.Add(Rec(0, 0, 0, intermediate));
        }

        AssertBothSay(published, await VerdictsAsync(leaf, Array.Empty<TestCertificate>(), records.ToArray(), pkixRoots: new[] { root }));
    }

    [Fact]
    public async Task A_pkix_ta_certificate_in_dns_matches_where_it_completes_the_chain()
    {
        var root = Root();
        var intermediate = TestPki.Mint(Ca("Intermediate"), root);
        var leaf = ServerLeaf(intermediate);
        AssertBothSay(true, await VerdictsAsync(leaf, Array.Empty<TestCertificate>(), new[] { Rec(0, 0, 0, intermediate) }, pkixRoots: new[] { root }));
    }

    // ---- Depth reads as OpenSSL's SSL_get0_dane_authority ----

    [Fact]
    public async Task A_bare_key_that_signed_the_top_certificate_reports_the_depth_of_that_certificate()
    {
        var root = Root();
        var intermediate = TestPki.Mint(Ca("Intermediate"), root);
        var leaf = ServerLeaf(intermediate);
        var verdicts = await VerdictsAsync(leaf, new[] { intermediate }, new[] { Rec(2, 1, 0, root) });
        AssertBothSay(true, verdicts);
        Assert.Equal(1, verdicts.DanePs.MatchedDepth);
    }

    [Fact]
    public async Task A_bare_key_that_signed_the_leaf_itself_reports_depth_0()
    {
        var root = Root();
        var leaf = ServerLeaf(root);
        var verdicts = await VerdictsAsync(leaf, Array.Empty<TestCertificate>(), new[] { Rec(2, 1, 0, root) });
        AssertBothSay(true, verdicts);
        Assert.Equal(0, verdicts.DanePs.MatchedDepth);
    }
}
