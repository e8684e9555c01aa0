using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace DanePS.Tests.Fixtures.Pki;

/// <summary>Key algorithm for test certificates.</summary>
public enum TestKeyType
{
    Rsa,
    Ecdsa,
}

/// <summary>A certificate with its private key, made by <see cref="TestPki"/>.</summary>
public sealed class TestCertificate
{
    private X509Certificate2? _certificate;

    internal TestCertificate(X509Certificate2 certificate, AsymmetricAlgorithm key)
    {
        _certificate = certificate;
        Der = certificate.RawData;
        Key = key;
    }

    /// <summary>A certificate minted byte by byte (<see cref="TestPki.Mint"/>), loaded by .NET only when asked for.</summary>
    internal TestCertificate(byte[] der, AsymmetricAlgorithm key)
    {
        Der = der;
        Key = key;
    }

    public X509Certificate2 Certificate => _certificate ??= X509CertificateLoader.LoadCertificate(Der);

    /// <summary>The certificate's bytes exactly as minted.</summary>
    public byte[] Der { get; }

    public AsymmetricAlgorithm Key { get; }

    public string Pem => TestPki.ToPem(Der);

    public string KeyPem => TestPki.KeyToPem(Key);

    public byte[] SpkiDer => Key switch
    {
        RSA rsa => rsa.ExportSubjectPublicKeyInfo(),
        ECDsa ec => ec.ExportSubjectPublicKeyInfo(),
        _ => throw new NotSupportedException(),
    };
}

/// <summary>
/// Makes test CAs, intermediates and leaves on the fly (RSA and ECDSA), so every test has its own PKI and
/// nothing is checked in. Uses only the .NET base library, independent of the engine under test.
/// </summary>
public static class TestPki
{
    public static TestCertificate CreateRoot(string commonName, TestKeyType keyType = TestKeyType.Ecdsa, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var key = NewKey(keyType);
        var request = NewRequest($"CN={commonName}, O=DanePS Test", key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var cert = request.CreateSelfSigned(notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddYears(5));
        return new TestCertificate(X509CertificateLoader.LoadCertificate(cert.Export(X509ContentType.Cert)), key);
    }

    public static TestCertificate CreateIntermediate(TestCertificate issuer, string commonName, TestKeyType keyType = TestKeyType.Ecdsa, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var key = NewKey(keyType);
        var request = NewRequest($"CN={commonName}, O=DanePS Test", key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return Sign(request, issuer, key, notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddYears(3));
    }

    public static TestCertificate CreateLeaf(TestCertificate? issuer, IEnumerable<string> dnsNames, TestKeyType keyType = TestKeyType.Ecdsa, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, string? commonName = null)
    {
        var names = dnsNames.ToList();
        var key = NewKey(keyType);
        var request = NewRequest($"CN={commonName ?? names.FirstOrDefault() ?? "leaf"}", key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        if (names.Count > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            names.ForEach(san.AddDnsName);
            request.CertificateExtensions.Add(san.Build());
        }

        var from = notBefore ?? DateTimeOffset.UtcNow.AddDays(-1);
        var to = notAfter ?? DateTimeOffset.UtcNow.AddDays(90);
        if (issuer is null)
        {
            var self = request.CreateSelfSigned(from, to);
            return new TestCertificate(X509CertificateLoader.LoadCertificate(self.Export(X509ContentType.Cert)), key);
        }

        return Sign(request, issuer, key, from, to);
    }

    /// <summary>
    /// Writes a certificate field by field from <paramref name="template"/> and signs it with
    /// <paramref name="issuer"/>'s key (its own key when null: self-signed). Nothing is normalised on the way,
    /// so what the template says is what the server sends.
    /// </summary>
    public static TestCertificate Mint(CertificateTemplate template, TestCertificate? issuer = null)
    {
        var key = template.Key ?? NewKey(template.KeyType);
        var signer = issuer?.Key ?? key;
        var subject = template.SubjectDer ?? new X500DistinguishedName(template.Subject).RawData;
        var issuerName = template.IssuerDer ?? (issuer is null ? subject : IssuerSubject(issuer));
        var serial = template.Serial ?? RandomSerial();

        var tbs = new AsnWriter(AsnEncodingRules.DER);
        using (tbs.PushSequence())
        {
            if (template.Version != 1)
            {
                using (tbs.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
                {
                    tbs.WriteInteger(template.Version - 1);
                }
            }

            tbs.WriteIntegerUnsigned(serial);
            WriteSignatureAlgorithm(tbs, signer);
            tbs.WriteEncodedValue(issuerName);
            using (tbs.PushSequence())
            {
                tbs.WriteUtcTime(template.NotBefore);
                tbs.WriteUtcTime(template.NotAfter);
            }

            tbs.WriteEncodedValue(subject);
            tbs.WriteEncodedValue(template.SpkiDer ?? SpkiOf(key));
            if (template.Extensions.Count > 0)
            {
                using (tbs.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 3)))
                using (tbs.PushSequence())
                {
                    foreach (var extension in template.Extensions)
                    {
                        using (tbs.PushSequence())
                        {
                            tbs.WriteObjectIdentifier(extension.Oid);
                            if (extension.Critical)
                            {
                                tbs.WriteBoolean(true);
                            }

                            tbs.WriteOctetString(extension.Value);
                        }
                    }
                }
            }
        }

        var tbsDer = tbs.Encode();
        var signature = signer switch
        {
            ECDsa ec => ec.SignData(tbsDer, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence),
            RSA rsa => rsa.SignData(tbsDer, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new NotSupportedException(),
        };

        var certificate = new AsnWriter(AsnEncodingRules.DER);
        using (certificate.PushSequence())
        {
            certificate.WriteEncodedValue(tbsDer);
            WriteSignatureAlgorithm(certificate, signer);
            certificate.WriteBitString(signature);
        }

        return new TestCertificate(certificate.Encode(), key);
    }

    /// <summary>The subject Name DER of a certificate, read from its bytes (never re-encoded by .NET).</summary>
    private static byte[] IssuerSubject(TestCertificate issuer)
    {
        var reader = new AsnReader(issuer.Der, AsnEncodingRules.DER).ReadSequence().ReadSequence();
        if (reader.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
        {
            reader.ReadEncodedValue();
        }

        reader.ReadEncodedValue(); // serial
        reader.ReadEncodedValue(); // signature
        reader.ReadEncodedValue(); // issuer
        reader.ReadEncodedValue(); // validity
        return reader.ReadEncodedValue().ToArray();
    }

    private static byte[] SpkiOf(AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => rsa.ExportSubjectPublicKeyInfo(),
        ECDsa ec => ec.ExportSubjectPublicKeyInfo(),
        _ => throw new NotSupportedException(),
    };

    private static void WriteSignatureAlgorithm(AsnWriter writer, AsymmetricAlgorithm signer)
    {
        using (writer.PushSequence())
        {
            if (signer is RSA)
            {
                writer.WriteObjectIdentifier("1.2.840.113549.1.1.11");
                writer.WriteNull();
            }
            else
            {
                writer.WriteObjectIdentifier("1.2.840.10045.4.3.2");
            }
        }
    }

    private static byte[] RandomSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }

    public static string ToPem(X509Certificate2 certificate) => ToPem(certificate.RawData);

    public static string ToPem(byte[] der) =>
        "-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String(der, Base64FormattingOptions.InsertLineBreaks) + "\n-----END CERTIFICATE-----\n";

    public static string KeyToPem(AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => PemEncoding.WriteString("PRIVATE KEY", rsa.ExportPkcs8PrivateKey()) + "\n",
        ECDsa ec => PemEncoding.WriteString("PRIVATE KEY", ec.ExportPkcs8PrivateKey()) + "\n",
        _ => throw new NotSupportedException(),
    };

    public static string PublicKeyPem(TestCertificate certificate) => PemEncoding.WriteString("PUBLIC KEY", certificate.SpkiDer) + "\n";

    /// <summary>Writes a chain (leaf first) as one PEM file and returns its path.</summary>
    public static string WriteChain(string directory, string fileName, params TestCertificate[] chain)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, fileName);
        var sb = new StringBuilder();
        foreach (var c in chain)
        {
            sb.Append(c.Pem);
        }

        File.WriteAllText(path, sb.ToString());
        return path;
    }

    public static string WriteKey(string directory, string fileName, TestCertificate certificate)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, fileName);
        File.WriteAllText(path, certificate.KeyPem);
        return path;
    }

    private static TestCertificate Sign(CertificateRequest request, TestCertificate issuer, AsymmetricAlgorithm key, DateTimeOffset from, DateTimeOffset to)
    {
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer.Certificate, true, false));
        var generator = issuer.Key switch
        {
            RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
            ECDsa ec => X509SignatureGenerator.CreateForECDsa(ec),
            _ => throw new NotSupportedException(),
        };

        // Keep the leaf inside the issuer's validity unless a test asks otherwise.
        var cert = request.Create(issuer.Certificate.SubjectName, generator, from, to, serial);
        return new TestCertificate(X509CertificateLoader.LoadCertificate(cert.Export(X509ContentType.Cert)), key);
    }

    private static CertificateRequest NewRequest(string subject, AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
        _ => throw new NotSupportedException(),
    };

    internal static AsymmetricAlgorithm NewKey(TestKeyType type) => type == TestKeyType.Rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
}
