using System;
using System.Linq;
using System.Security.Cryptography;
using DanePS.Engine.Certificates;
using DanePS.Engine.Matching;
using DanePS.Engine.Tlsa;
using DanePS.Tests.Fixtures.Pki;
using Xunit;

namespace DanePS.Tests.Matching;

/// <summary>What DANE-EE needs of a leaf: its bytes and its key, nothing else (RFC 7671 §5.1).</summary>
[Trait("Category", "Unit")]
public class UnusualLeafTests
{
    [Fact]
    public void A_leaf_whose_public_key_cannot_be_read_is_unusable_and_the_result_says_why()
    {
        var spki = CertificateTemplate.UnreadableSpki();
        var leaf = TestPki.Mint(new CertificateTemplate { Subject = "CN=mx.example.test", SpkiDer = spki });
        var record = new TlsaRecord(3, 1, 1, SHA256.HashData(spki));

        var result = DaneMatcher.Match(new DaneMatchRequest { PresentedChain = new[] { leaf.Certificate }, Records = new[] { record }, Profile = DaneProfile.Smtp });

        Assert.Equal(DaneMatchOutcome.NotAuthenticated, result.Outcome);
        var evaluation = Assert.Single(result.Records);
        Assert.Equal(TlsaRecordOutcome.UnreadableLeafKey, evaluation.Outcome);
        Assert.Contains("1.3.6.1.4.1.55555.2.1", evaluation.Reason, StringComparison.Ordinal);
        Assert.Contains("cannot be read", evaluation.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Selector_0_hashes_the_bytes_as_given_even_when_they_are_not_canonical_der()
    {
        // A BOOLEAN TRUE written as 0x01 instead of 0xFF: BER, accepted by OpenSSL and .NET, but a DER re-encoding
        // would change the bytes, and with them the certificate's hash.
        var leaf = TestPki.Mint(CertificateTemplate.Leaf("mx.example.test"));
        var der = (byte[])leaf.Der.Clone();
        var criticalTrue = FindCriticalTrue(der);
        der[criticalTrue] = 0x01;

        var parsed = ParsedCertificate.FromDer(der);

        Assert.Equal(der, parsed.Der);
        Assert.Equal(SHA256.HashData(der), parsed.Digest(TlsaSelector.Cert, TlsaMatchingType.Sha256));
    }

    [Fact]
    public void A_leaf_with_an_empty_issuer_keeps_its_real_names_and_is_marked_not_well_formed()
    {
        var leaf = TestPki.Mint(new CertificateTemplate { SubjectDer = CertificateTemplate.EmptyName });

        var parsed = ParsedCertificate.FromDer(leaf.Der);

        Assert.Equal(string.Empty, parsed.Issuer);
        Assert.Equal(string.Empty, parsed.Subject);
        Assert.Contains("issuer name is empty", parsed.NotWellFormed, StringComparison.Ordinal);
        Assert.Equal(leaf.SpkiDer, parsed.SpkiDer);
        Assert.Equal(leaf.Der, parsed.Der);
    }

    /// <summary>The value octet of the first "critical TRUE" (01 01 FF) in an extension.</summary>
    private static int FindCriticalTrue(byte[] der)
    {
        for (var i = 0; i + 2 < der.Length; i++)
        {
            if (der[i] == 0x01 && der[i + 1] == 0x01 && der[i + 2] == 0xFF)
            {
                return i + 2;
            }
        }

        throw new InvalidOperationException("The test leaf has no critical extension.");
    }
}
