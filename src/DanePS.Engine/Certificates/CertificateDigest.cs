using System;
using System.Security.Cryptography;
using DanePS.Engine.Tlsa;

namespace DanePS.Engine.Certificates;

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
