using System.IO;
using DanePS.Engine.Certificates;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace DanePS.Engine.Tls;

/// <summary>
/// BouncyCastle's TLS crypto, with TLS 1.3 CertificateVerify signatures (ECDSA, RSA-PSS) checked by the
/// platform's native code: managed ECDSA verification was the largest cost of a check. Everything else,
/// and any scheme the platform does not cover, stays with BouncyCastle.
/// </summary>
internal sealed class NativeVerifyingTlsCrypto : BcTlsCrypto
{
    public NativeVerifyingTlsCrypto(SecureRandom random)
        : base(random)
    {
    }

    public override TlsCertificate CreateCertificate(short type, byte[] encoding) =>
        type == CertificateType.X509 ? new Certificate(this, encoding) : base.CreateCertificate(type, encoding);

    private sealed class Certificate : BcTlsCertificate
    {
        private NativeSignatureKey? _key;
        private bool _keyTried;

        public Certificate(BcTlsCrypto crypto, byte[] encoding)
            : base(crypto, encoding)
        {
        }

        public override Tls13Verifier CreateVerifier(int signatureScheme)
        {
            if (!_keyTried)
            {
                _key = NativeSignatureKey.From(GetPublicKey());
                _keyTried = true;
            }

            var fallback = base.CreateVerifier(signatureScheme); // also validates the scheme against the key
            return _key is null ? fallback : new Verifier(_key, signatureScheme, fallback);
        }
    }

    // MemoryStream holds nothing unmanaged, and BouncyCastle's verifier contract has no Dispose to call.
#pragma warning disable CA1001
    private sealed class Verifier : Tls13Verifier
#pragma warning restore CA1001
    {
        private readonly NativeSignatureKey _key;
        private readonly int _scheme;
        private readonly Tls13Verifier _fallback;
        private readonly MemoryStream _signed = new();

        public Verifier(NativeSignatureKey key, int scheme, Tls13Verifier fallback)
        {
            _key = key;
            _scheme = scheme;
            _fallback = fallback;
        }

        public Stream Stream => _signed;

        public bool VerifySignature(byte[] signature)
        {
            var data = _signed.ToArray();
            if (_key.TryVerifyTls13(_scheme, data, signature, out var valid))
            {
                return valid;
            }

            _fallback.Stream.Write(data, 0, data.Length);
            return _fallback.VerifySignature(signature);
        }
    }
}
