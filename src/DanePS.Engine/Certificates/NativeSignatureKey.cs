using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;

namespace DanePS.Engine.Certificates;

/// <summary>
/// An issuer's public key as a platform ECDSA or RSA key, to check certificate signatures natively.
/// Covers ECDSA P-256/P-384/P-521 and RSA PKCS#1 v1.5 with SHA-1/2; anything else returns "cannot tell".
/// </summary>
internal sealed class NativeSignatureKey
{
    private readonly ECDsa? _ecdsa;
    private readonly RSA? _rsa;
    private readonly int _fieldBytes;

    private NativeSignatureKey(ECDsa? ecdsa, RSA? rsa, int fieldBytes)
    {
        _ecdsa = ecdsa;
        _rsa = rsa;
        _fieldBytes = fieldBytes;
    }

    public static NativeSignatureKey? From(AsymmetricKeyParameter key)
    {
        try
        {
            switch (key)
            {
                case RsaKeyParameters rsa when !rsa.IsPrivate:
                    var r = RSA.Create();
                    r.ImportParameters(new RSAParameters { Modulus = rsa.Modulus.ToByteArrayUnsigned(), Exponent = rsa.Exponent.ToByteArrayUnsigned() });
                    return new NativeSignatureKey(null, r, 0);
                case ECPublicKeyParameters ec when ec.PublicKeyParamSet is not null:
                    var curve = ec.PublicKeyParamSet.Id switch
                    {
                        "1.2.840.10045.3.1.7" => ECCurve.NamedCurves.nistP256,
                        "1.3.132.0.34" => ECCurve.NamedCurves.nistP384,
                        "1.3.132.0.35" => ECCurve.NamedCurves.nistP521,
                        _ => (ECCurve?)null,
                    };
                    if (curve is null)
                    {
                        return null;
                    }

                    var size = (ec.Parameters.Curve.FieldSize + 7) / 8;
                    var q = ec.Q.Normalize();
                    var e = ECDsa.Create(new ECParameters
                    {
                        Curve = curve.Value,
                        Q = new ECPoint { X = q.AffineXCoord.GetEncoded(), Y = q.AffineYCoord.GetEncoded() },
                    });
                    return new NativeSignatureKey(e, null, size);
                default:
                    return null;
            }
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Checks <paramref name="signature"/> over <paramref name="signed"/>; false from the method means "use another verifier".</summary>
    public bool TryVerify(string signatureAlgorithmOid, byte[] signed, byte[] signature, out bool valid)
    {
        valid = false;

        // Trust-store roots are shared by concurrent checks; platform key objects make no thread-safety promise.
        lock (this)
        {
            return TryVerifyCore(signatureAlgorithmOid, signed, signature, out valid);
        }
    }

    private bool TryVerifyCore(string signatureAlgorithmOid, byte[] signed, byte[] signature, out bool valid)
    {
        valid = false;
        try
        {
            if (_ecdsa is not null)
            {
                var hash = signatureAlgorithmOid switch
                {
                    "1.2.840.10045.4.3.2" => HashAlgorithmName.SHA256,
                    "1.2.840.10045.4.3.3" => HashAlgorithmName.SHA384,
                    "1.2.840.10045.4.3.4" => HashAlgorithmName.SHA512,
                    _ => default,
                };
                return hash.Name is not null && TryEcdsa(signed, signature, hash, out valid);
            }

            if (_rsa is not null)
            {
                var hash = signatureAlgorithmOid switch
                {
                    "1.2.840.113549.1.1.11" => HashAlgorithmName.SHA256,
                    "1.2.840.113549.1.1.12" => HashAlgorithmName.SHA384,
                    "1.2.840.113549.1.1.13" => HashAlgorithmName.SHA512,
                    "1.2.840.113549.1.1.5" => HashAlgorithmName.SHA1,
                    _ => default,
                };
                if (hash.Name is null)
                {
                    return false;
                }

                valid = _rsa.VerifyData(signed, signature, hash, RSASignaturePadding.Pkcs1);
                return true;
            }
        }
        catch (CryptographicException)
        {
            return false;
        }

        return false;
    }

    /// <summary>
    /// Checks a TLS 1.3 CertificateVerify signature (RFC 8446 §4.4.3) for the schemes the platform does natively;
    /// false from the method means "use another verifier".
    /// </summary>
    public bool TryVerifyTls13(int signatureScheme, byte[] signed, byte[] signature, out bool valid)
    {
        valid = false;
        lock (this)
        {
            try
            {
                switch (signatureScheme)
                {
                    case 0x0403 when _ecdsa is not null && _fieldBytes == 32:
                        return TryEcdsa(signed, signature, HashAlgorithmName.SHA256, out valid);
                    case 0x0503 when _ecdsa is not null && _fieldBytes == 48:
                        return TryEcdsa(signed, signature, HashAlgorithmName.SHA384, out valid);
                    case 0x0603 when _ecdsa is not null && _fieldBytes == 66:
                        return TryEcdsa(signed, signature, HashAlgorithmName.SHA512, out valid);
                    case 0x0804 when _rsa is not null:
                        valid = _rsa.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
                        return true;
                    case 0x0805 when _rsa is not null:
                        valid = _rsa.VerifyData(signed, signature, HashAlgorithmName.SHA384, RSASignaturePadding.Pss);
                        return true;
                    case 0x0806 when _rsa is not null:
                        valid = _rsa.VerifyData(signed, signature, HashAlgorithmName.SHA512, RSASignaturePadding.Pss);
                        return true;
                    default:
                        return false;
                }
            }
            catch (CryptographicException)
            {
                return false;
            }
        }
    }

    /// <summary>Checks a DER ECDSA signature over an already computed hash (TLS 1.2 ServerKeyExchange).</summary>
    public bool TryVerifyEcdsaHash(byte[] hash, byte[] signature, out bool valid)
    {
        valid = false;
        if (_ecdsa is null || !TryToIeeeP1363(signature, _fieldBytes, out var raw))
        {
            return false;
        }

        lock (this)
        {
            try
            {
                valid = _ecdsa.VerifyHash(hash, raw);
                return true;
            }
            catch (CryptographicException)
            {
                return false;
            }
        }
    }

    private bool TryEcdsa(byte[] signed, byte[] signature, HashAlgorithmName hash, out bool valid)
    {
        valid = false;
        if (!TryToIeeeP1363(signature, _fieldBytes, out var raw))
        {
            return false;
        }

        valid = _ecdsa!.VerifyData(signed, raw, hash);
        return true;
    }

    /// <summary>X.509 ECDSA signatures are DER SEQUENCE { r, s }; the platform API (netstandard2.0) wants r || s.</summary>
    private static bool TryToIeeeP1363(byte[] der, int size, out byte[] raw)
    {
        raw = Array.Empty<byte>();
        try
        {
            if (Asn1Object.FromByteArray(der) is not Asn1Sequence { Count: 2 } seq
                || seq[0] is not DerInteger r || seq[1] is not DerInteger s)
            {
                return false;
            }

            var rb = r.Value.ToByteArrayUnsigned();
            var sb = s.Value.ToByteArrayUnsigned();
            if (rb.Length > size || sb.Length > size)
            {
                return false;
            }

            raw = new byte[2 * size];
            Buffer.BlockCopy(rb, 0, raw, size - rb.Length, rb.Length);
            Buffer.BlockCopy(sb, 0, raw, (2 * size) - sb.Length, sb.Length);
            return true;
        }
        catch (Exception ex) when (ex is System.IO.IOException or ArgumentException or InvalidCastException)
        {
            return false;
        }
    }
}
