using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using X509Certificate2 = System.Security.Cryptography.X509Certificates.X509Certificate2;

namespace DanePS.Engine.Certificates;

/// <summary>Reads certificates and public keys from PEM or DER files, as operators have them on disk.</summary>
public static class CertificateReader
{
    /// <summary>Files larger than this are refused: no certificate bundle is this big.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    private static readonly Regex PemBlock = new(
        "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----",
        RegexOptions.Singleline | RegexOptions.CultureInvariant,
        TimeSpan.FromSeconds(2));

    /// <summary>Reads every certificate of a PEM bundle (in file order) or the one certificate of a DER file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CertificateFormatException">The file holds no certificate.</exception>
    public static IReadOnlyList<X509Certificate2> ReadCertificates(string path) => ParseCertificates(ReadLimited(path), path);

    /// <summary>Parses every certificate in PEM or DER content.</summary>
    public static IReadOnlyList<X509Certificate2> ParseCertificates(byte[] content, string sourceName)
    {
        var result = new List<X509Certificate2>();
        var blocks = PemBlocks(content);
        if (blocks is null)
        {
            result.Add(ParseDerCertificate(content, sourceName));
            return result;
        }

        foreach (var (label, der) in blocks)
        {
            if (label is "CERTIFICATE" or "X509 CERTIFICATE" or "TRUSTED CERTIFICATE")
            {
                result.Add(ParseDerCertificate(der, sourceName));
            }
        }

        if (result.Count == 0)
        {
            throw new CertificateFormatException($"'{sourceName}' holds no certificate (PEM blocks found: {string.Join(", ", blocks.ConvertAll(b => b.Label))}).");
        }

        return result;
    }

    /// <summary>
    /// Reads the SubjectPublicKeyInfo (DER) from a public key, a private key or a certificate file, PEM or DER.
    /// Used to publish the next key's TLSA record before its certificate exists.
    /// Private key material is read only to derive the public key and is never kept or shown.
    /// </summary>
    public static byte[] ReadSubjectPublicKeyInfo(string path) => ParseSubjectPublicKeyInfo(ReadLimited(path), path);

    /// <summary>Parses a public key (SPKI), private key or certificate in PEM or DER and returns the SPKI DER.</summary>
    public static byte[] ParseSubjectPublicKeyInfo(byte[] content, string sourceName)
    {
        var blocks = PemBlocks(content);
        if (blocks is null)
        {
            return SpkiFromDer(content, sourceName);
        }

        foreach (var (label, der) in blocks)
        {
            switch (label)
            {
                case "PUBLIC KEY":
                    return SpkiFromDer(der, sourceName);
                case "CERTIFICATE":
                    return ParsedCertificate.FromDer(der).SpkiDer;
                case "ENCRYPTED PRIVATE KEY":
                    throw new CertificateFormatException($"'{sourceName}' holds an encrypted private key. Export its public key first (openssl pkey -in KEY -pubout -out next.pub).");
                case "RSA PUBLIC KEY":
                case "PRIVATE KEY":
                case "RSA PRIVATE KEY":
                case "EC PRIVATE KEY":
                    return SpkiViaPemReader(content, sourceName);
            }
        }

        throw new CertificateFormatException($"'{sourceName}' holds no public key, private key or certificate.");
    }

    /// <summary>The SubjectPublicKeyInfo DER of a certificate (Invoke-TlsaRollover's staged certificate).</summary>
    public static byte[] GetSubjectPublicKeyInfo(X509Certificate2 certificate) =>
        ParsedCertificate.From(certificate ?? throw new ArgumentNullException(nameof(certificate))).SpkiDer;

    /// <summary>Describes a public key given as SPKI DER, e.g. "RSA 2048", "EC P-256".</summary>
    public static string DescribePublicKey(byte[] subjectPublicKeyInfo) =>
        PublicKeyDescription.Describe(PublicKeyFactory.CreateKey(subjectPublicKeyInfo));

    internal static byte[] ReadLimited(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"The file '{path}' does not exist.", path);
        }

        if (info.Length > MaxFileBytes)
        {
            throw new CertificateFormatException($"'{path}' is {info.Length} bytes; certificate and key files above {MaxFileBytes} bytes are refused.");
        }

        // The length on disk is not a limit: a device or a /proc file reports 0 and may never end (/dev/zero).
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var buffer = new byte[MaxFileBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
        {
            total += read;
        }

        if (total > MaxFileBytes)
        {
            throw new CertificateFormatException($"'{path}' holds more than {MaxFileBytes} bytes; certificate and key files that large are refused.");
        }

        var content = new byte[total];
        Buffer.BlockCopy(buffer, 0, content, 0, total);
        return content;
    }

    private static List<(string Label, byte[] Der)>? PemBlocks(byte[] content)
    {
        var text = Encoding.ASCII.GetString(content);
        if (text.IndexOf("-----BEGIN ", StringComparison.Ordinal) < 0)
        {
            return null;
        }

        var blocks = new List<(string, byte[])>();
        foreach (Match m in PemBlock.Matches(text))
        {
            var body = m.Groups[2].Value;

            // Skip RFC 1421 headers such as "Proc-Type:" in legacy encrypted keys.
            if (body.IndexOf(':') >= 0)
            {
                blocks.Add((m.Groups[1].Value == "RSA PRIVATE KEY" || m.Groups[1].Value == "EC PRIVATE KEY" ? "ENCRYPTED PRIVATE KEY" : m.Groups[1].Value, Array.Empty<byte>()));
                continue;
            }

            try
            {
                blocks.Add((m.Groups[1].Value, Convert.FromBase64String(Regex.Replace(body, "\\s+", string.Empty, RegexOptions.None, TimeSpan.FromSeconds(2)))));
            }
            catch (FormatException ex)
            {
                throw new CertificateFormatException($"A PEM block '{m.Groups[1].Value}' is not valid base64.", ex);
            }
        }

        if (blocks.Count == 0)
        {
            throw new CertificateFormatException("The PEM data has a BEGIN line without a matching END line.");
        }

        return blocks;
    }

    private static X509Certificate2 ParseDerCertificate(byte[] der, string sourceName)
    {
        try
        {
            return ParsedCertificate.FromDer(der).ToX509Certificate2();
        }
        catch (Exception ex) when (ex is not CertificateFormatException and not OutOfMemoryException)
        {
            throw new CertificateFormatException($"'{sourceName}' is not an X.509 certificate in PEM or DER: {ex.Message}", ex);
        }
    }

    private static byte[] SpkiFromDer(byte[] der, string sourceName)
    {
        try
        {
            var spki = SubjectPublicKeyInfo.GetInstance(der);
            PublicKeyFactory.CreateKey(spki);
            return spki.GetDerEncoded();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidCastException or IOException or SecurityUtilityException or InvalidOperationException)
        {
            try
            {
                return ParsedCertificate.FromDer(der).SpkiDer;
            }
            catch (Exception inner) when (inner is not OutOfMemoryException)
            {
                throw new CertificateFormatException($"'{sourceName}' is neither a SubjectPublicKeyInfo nor a certificate in DER.", ex);
            }
        }
    }

    private static byte[] SpkiViaPemReader(byte[] content, string sourceName)
    {
        try
        {
            using var reader = new StringReader(Encoding.ASCII.GetString(content));
            var pem = new PemReader(reader);
            object? obj;
            while ((obj = pem.ReadObject()) is not null)
            {
                var publicKey = obj switch
                {
                    AsymmetricCipherKeyPair pair => pair.Public,
                    AsymmetricKeyParameter { IsPrivate: false } key => key,
                    AsymmetricKeyParameter { IsPrivate: true } key => DerivePublic(key),
                    _ => null,
                };
                if (publicKey is not null)
                {
                    return SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(publicKey).GetDerEncoded();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or PemException or ArgumentException or InvalidCastException or InvalidOperationException)
        {
            // The message of a key parser may quote key bytes; report only the file.
            throw new CertificateFormatException($"'{sourceName}' holds a key DanePS cannot read.", ex);
        }

        throw new CertificateFormatException($"'{sourceName}' holds no key DanePS can read.");
    }

    private static AsymmetricKeyParameter? DerivePublic(AsymmetricKeyParameter key) => key switch
    {
        Org.BouncyCastle.Crypto.Parameters.RsaPrivateCrtKeyParameters rsa => new Org.BouncyCastle.Crypto.Parameters.RsaKeyParameters(false, rsa.Modulus, rsa.PublicExponent),
        Org.BouncyCastle.Crypto.Parameters.ECPrivateKeyParameters ec => new Org.BouncyCastle.Crypto.Parameters.ECPublicKeyParameters(
            ec.AlgorithmName, ec.Parameters.G.Multiply(ec.D).Normalize(), ec.PublicKeyParamSet ?? throw new CertificateFormatException("EC keys on explicit curves are not supported.")),
        Org.BouncyCastle.Crypto.Parameters.Ed25519PrivateKeyParameters ed => ed.GeneratePublicKey(),
        Org.BouncyCastle.Crypto.Parameters.Ed448PrivateKeyParameters ed => ed.GeneratePublicKey(),
        _ => null,
    };
}
