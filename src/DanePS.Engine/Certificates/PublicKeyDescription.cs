using Org.BouncyCastle.Crypto;

namespace DanePS.Engine.Certificates;

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
