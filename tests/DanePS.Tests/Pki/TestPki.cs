using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace DanePS.Tests.Pki;

/// <summary>Key algorithm for test certificates.</summary>
public enum TestKeyType
{
    Rsa,
    Ecdsa,
}

/// <summary>A certificate with its private key, made by <see cref="TestPki"/>.</summary>
public sealed class TestCertificate
{
    internal TestCertificate(X509Certificate2 certificate, AsymmetricAlgorithm key)
    {
        Certificate = certificate;
        Key = key;
    }

    public X509Certificate2 Certificate { get; }

    public AsymmetricAlgorithm Key { get; }

    public string Pem => TestPki.ToPem(Certificate);

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

    public static string ToPem(X509Certificate2 certificate) =>
        "-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String(certificate.RawData, Base64FormattingOptions.InsertLineBreaks) + "\n-----END CERTIFICATE-----\n";

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

    private static AsymmetricAlgorithm NewKey(TestKeyType type) => type == TestKeyType.Rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
}
