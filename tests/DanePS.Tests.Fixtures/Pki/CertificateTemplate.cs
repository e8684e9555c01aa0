using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DanePS.Tests.Fixtures.Pki;

/// <summary>One extension of a minted certificate, as it goes on the wire.</summary>
public sealed record TemplateExtension(string Oid, bool Critical, byte[] Value);

/// <summary>
/// Everything <see cref="TestPki.Mint"/> writes into a certificate, field by field, so a test can make the
/// unusual ones (non-CA issuers, path length limits, key usage without keyCertSign, empty names, version 1,
/// duplicated or unknown critical extensions, long serials, odd string types, cross-signed roots).
/// </summary>
public sealed class CertificateTemplate
{
    /// <summary>Subject as X.500 text; ignored when <see cref="SubjectDer"/> is set.</summary>
    public string Subject { get; init; } = "CN=test";

    /// <summary>Subject Name DER, e.g. <see cref="EmptyName"/> or a name with a BMPString.</summary>
    public byte[]? SubjectDer { get; init; }

    /// <summary>Issuer Name DER; the issuer's subject (or the own subject when self-signed) when null.</summary>
    public byte[]? IssuerDer { get; init; }

    /// <summary>1 or 3.</summary>
    public int Version { get; init; } = 3;

    /// <summary>Serial number content octets; 12 random bytes when null.</summary>
    public byte[]? Serial { get; init; }

    public TestKeyType KeyType { get; init; } = TestKeyType.Ecdsa;

    /// <summary>Reuse a key (a cross-signed copy of a root has the root's key); a new one when null.</summary>
    public AsymmetricAlgorithm? Key { get; init; }

    /// <summary>The SubjectPublicKeyInfo to write instead of the key's, e.g. one no library can read.</summary>
    public byte[]? SpkiDer { get; init; }

    /// <summary>An SPKI with an algorithm no TLS stack knows (a private OID) and arbitrary key bits.</summary>
    public static byte[] UnreadableSpki()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.3.6.1.4.1.55555.2.1");
            }

            writer.WriteBitString(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });
        }

        return writer.Encode();
    }

    public DateTimeOffset NotBefore { get; init; } = DateTimeOffset.UtcNow.AddDays(-1);

    public DateTimeOffset NotAfter { get; init; } = DateTimeOffset.UtcNow.AddYears(2);

    public List<TemplateExtension> Extensions { get; } = new();

    /// <summary>An empty RDNSequence: legal for a self-signed DANE-EE certificate.</summary>
    public static byte[] EmptyName => new byte[] { 0x30, 0x00 };

    /// <summary>A CA: basicConstraints cA (critical), keyCertSign, subject key identifier.</summary>
    public static CertificateTemplate Ca(string commonName, int? pathLength = null) =>
        new CertificateTemplate { Subject = $"CN={commonName}, O=DanePS Test" }
            .With(BasicConstraints(true, pathLength))
            .With(KeyUsage(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign));

    /// <summary>A server leaf with dNSName SANs.</summary>
    public static CertificateTemplate Leaf(params string[] dnsNames) =>
        new CertificateTemplate { Subject = $"CN={(dnsNames.Length > 0 ? dnsNames[0] : "leaf")}" }
            .With(BasicConstraints(false, null))
            .With(ServerAuth())
            .With(SubjectAltNames(dnsNames));

    public CertificateTemplate With(TemplateExtension extension)
    {
        Extensions.Add(extension);
        return this;
    }

    public static TemplateExtension BasicConstraints(bool ca, int? pathLength, bool critical = true) =>
        new("2.5.29.19", critical, new X509BasicConstraintsExtension(ca, pathLength.HasValue, pathLength ?? 0, critical).RawData);

    public static TemplateExtension KeyUsage(X509KeyUsageFlags flags) =>
        new("2.5.29.15", true, new X509KeyUsageExtension(flags, true).RawData);

    public static TemplateExtension ServerAuth() =>
        new("2.5.29.37", false, new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false).RawData);

    public static TemplateExtension ExtendedKeyUsage(params string[] oids)
    {
        var collection = new OidCollection();
        foreach (var oid in oids)
        {
            collection.Add(new Oid(oid));
        }

        return new("2.5.29.37", false, new X509EnhancedKeyUsageExtension(collection, false).RawData);
    }

    public static TemplateExtension SubjectAltNames(params string[] dnsNames)
    {
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            san.AddDnsName(name);
        }

        return new("2.5.29.17", false, san.Build().RawData);
    }

    /// <summary>An extension no verifier knows (a private OID), critical or not.</summary>
    public static TemplateExtension Unknown(bool critical) =>
        new("1.3.6.1.4.1.55555.1.1", critical, new byte[] { 0x05, 0x00 });

    /// <summary>nameConstraints with permitted (and optionally excluded) dNSName subtrees.</summary>
    public static TemplateExtension NameConstraints(string[] permittedDns, string[]? excludedDns = null)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            WriteSubtrees(writer, 0, permittedDns);
            WriteSubtrees(writer, 1, excludedDns ?? Array.Empty<string>());
        }

        return new("2.5.29.30", true, writer.Encode());
    }

    /// <summary>A Name with one CN RDN written as the given ASN.1 string type (e.g. BMPString, T61String).</summary>
    public static byte[] NameWithStringType(string commonName, UniversalTagNumber stringType)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSetOf())
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier("2.5.4.3");
            if (stringType == UniversalTagNumber.T61String)
            {
                // AsnWriter has no T61String writer: tag 0x14, short length, Latin-1 octets.
                var octets = System.Text.Encoding.Latin1.GetBytes(commonName);
                var encoded = new byte[octets.Length + 2];
                encoded[0] = 0x14;
                encoded[1] = (byte)octets.Length;
                octets.CopyTo(encoded, 2);
                writer.WriteEncodedValue(encoded);
            }
            else
            {
                writer.WriteCharacterString(stringType, commonName);
            }
        }

        return writer.Encode();
    }

    private static void WriteSubtrees(AsnWriter writer, int tag, string[] names)
    {
        if (names.Length == 0)
        {
            return;
        }

        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, tag)))
        {
            foreach (var name in names)
            {
                using (writer.PushSequence())
                {
                    writer.WriteCharacterString(UniversalTagNumber.IA5String, name, new Asn1Tag(TagClass.ContextSpecific, 2));
                }
            }
        }
    }
}
