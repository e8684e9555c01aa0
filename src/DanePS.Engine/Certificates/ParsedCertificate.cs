using System;
using System.Linq;
using System.Security.Cryptography;
using DanePS.Engine.Tlsa;
using Org.BouncyCastle.Crypto;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;
using X509Certificate2 = System.Security.Cryptography.X509Certificates.X509Certificate2;

namespace DanePS.Engine.Certificates;

/// <summary>
/// A certificate with the byte views DANE needs (full DER, SPKI DER) and its BouncyCastle form for
/// signature checks. Internal: BouncyCastle types never leave the engine.
/// </summary>
internal sealed class ParsedCertificate
{
    private ParsedCertificate(BcCertificate bc, byte[] der)
    {
        Bc = bc;
        Der = der;
        SpkiDer = bc.CertificateStructure.SubjectPublicKeyInfo.GetDerEncoded();
    }

    private X509Certificate2? _x509;
    private byte[]? _spkiSha256;
    private byte[]? _spkiSha512;
    private byte[]? _certSha256;
    private byte[]? _certSha512;
    private NativeSignatureKey? _nativeKey;
    private bool _nativeKeyTried;

    public BcCertificate Bc { get; }

    public byte[] Der { get; }

    public byte[] SpkiDer { get; }

    public string Subject => Bc.SubjectDN.ToString();

    public string Issuer => Bc.IssuerDN.ToString();

    public DateTime NotBeforeUtc => Bc.NotBefore.ToUniversalTime();

    public DateTime NotAfterUtc => Bc.NotAfter.ToUniversalTime();

    public bool IsSelfIssued => Bc.SubjectDN.Equivalent(Bc.IssuerDN);

    public static ParsedCertificate FromDer(byte[] der)
    {
        var bc = new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(der)
            ?? throw new CertificateFormatException("The data holds no X.509 certificate.");
        return new ParsedCertificate(bc, bc.GetEncoded());
    }

    public static ParsedCertificate From(X509Certificate2 certificate) => FromDer(certificate.RawData);

    public static ParsedCertificate From(BcCertificate bc) => new(bc, bc.GetEncoded());

    /// <summary>The platform certificate, made once (creating one is costly on some platforms).</summary>
    public X509Certificate2 ToX509Certificate2() => _x509 ??= new X509Certificate2(Der);

    public byte[] SelectorData(TlsaSelector selector) => selector == TlsaSelector.Cert ? Der : SpkiDer;

    /// <summary>The selected data digested as the matching type asks, computed once per certificate.</summary>
    public byte[] Digest(TlsaSelector selector, TlsaMatchingType matchingType) => (selector, matchingType) switch
    {
        (TlsaSelector.Spki, TlsaMatchingType.Sha256) => _spkiSha256 ??= CertificateDigest.Compute(matchingType, SpkiDer),
        (TlsaSelector.Spki, TlsaMatchingType.Sha512) => _spkiSha512 ??= CertificateDigest.Compute(matchingType, SpkiDer),
        (TlsaSelector.Cert, TlsaMatchingType.Sha256) => _certSha256 ??= CertificateDigest.Compute(matchingType, Der),
        (TlsaSelector.Cert, TlsaMatchingType.Sha512) => _certSha512 ??= CertificateDigest.Compute(matchingType, Der),
        _ => CertificateDigest.Compute(matchingType, SelectorData(selector)),
    };

    public bool Matches(TlsaRecord record) => Digest(record.Selector, record.MatchingType).SequenceEqual(record.DataNoCopy);

    /// <summary>True when this certificate's signature verifies with <paramref name="issuerKey"/>.</summary>
    public bool IsSignedBy(AsymmetricKeyParameter issuerKey)
    {
        try
        {
            return Bc.IsSignatureValid(issuerKey);
        }
        catch (Exception ex) when (ex is Org.BouncyCastle.Security.InvalidKeyException or Org.BouncyCastle.Security.SignatureException or CryptoException or ArgumentException or InvalidOperationException or Org.BouncyCastle.Security.SecurityUtilityException)
        {
            return false;
        }
    }

    /// <summary>True when <paramref name="issuer"/> names this certificate's issuer and its key signed it.</summary>
    public bool IsIssuedBy(ParsedCertificate issuer)
    {
        if (!Bc.IssuerDN.Equivalent(issuer.Bc.SubjectDN))
        {
            return false;
        }

        // The platform's ECDSA and RSA are many times faster than managed code; anything else goes to BouncyCastle.
        if (issuer.NativeKey is { } key && key.TryVerify(Bc.SigAlgOid, Bc.GetTbsCertificate(), Bc.GetSignature(), out var valid))
        {
            return valid;
        }

        return IsSignedBy(issuer.Bc.GetPublicKey());
    }

    private NativeSignatureKey? NativeKey
    {
        get
        {
            if (!_nativeKeyTried)
            {
                _nativeKey = NativeSignatureKey.From(Bc.GetPublicKey());
                _nativeKeyTried = true;
            }

            return _nativeKey;
        }
    }

    public bool IsValidAt(DateTime utc) => utc >= NotBeforeUtc && utc <= NotAfterUtc;

    public bool SameAs(ParsedCertificate other) => Der.SequenceEqual(other.Der);

    /// <summary>A short description of the key, e.g. "RSA 2048" or "EC P-256".</summary>
    public string KeyDescription => PublicKeyDescription.Describe(Bc.GetPublicKey());
}

/// <summary>Digest computations for TLSA matching types.</summary>
internal static class CertificateDigest
{
    public static byte[] Compute(TlsaMatchingType matchingType, byte[] data)
    {
        switch (matchingType)
        {
            case TlsaMatchingType.Sha256:
                using (var sha = SHA256.Create())
                {
                    return sha.ComputeHash(data);
                }

            case TlsaMatchingType.Sha512:
                using (var sha = SHA512.Create())
                {
                    return sha.ComputeHash(data);
                }

            case TlsaMatchingType.Full:
                return data;
            default:
                throw new ArgumentOutOfRangeException(nameof(matchingType), matchingType, "No digest for this matching type.");
        }
    }
}

/// <summary>Human-readable key descriptions.</summary>
internal static class PublicKeyDescription
{
    public static string Describe(AsymmetricKeyParameter key) => key switch
    {
        Org.BouncyCastle.Crypto.Parameters.RsaKeyParameters rsa => $"RSA {rsa.Modulus.BitLength}",
        Org.BouncyCastle.Crypto.Parameters.ECPublicKeyParameters ec => "EC " + CurveName(ec),
        Org.BouncyCastle.Crypto.Parameters.Ed25519PublicKeyParameters => "Ed25519",
        Org.BouncyCastle.Crypto.Parameters.Ed448PublicKeyParameters => "Ed448",
        Org.BouncyCastle.Crypto.Parameters.DsaPublicKeyParameters => "DSA",
        _ => key.GetType().Name,
    };

    private static string CurveName(Org.BouncyCastle.Crypto.Parameters.ECPublicKeyParameters ec)
    {
        if (ec.PublicKeyParamSet is not null)
        {
            var name = Org.BouncyCastle.Asn1.X9.ECNamedCurveTable.GetName(ec.PublicKeyParamSet);
            return name switch
            {
                "secp256r1" or "prime256v1" => "P-256",
                "secp384r1" => "P-384",
                "secp521r1" => "P-521",
                null => ec.PublicKeyParamSet.Id,
                _ => name,
            };
        }

        return $"{ec.Parameters.Curve.FieldSize}-bit";
    }
}
