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

    /// <summary>
    /// A server certificate read leniently (<see cref="ParsedCertificate"/>), so an unusual DANE-EE leaf (empty
    /// issuer, a duplicated extension) does not stop the handshake, and kept as the exact bytes the server sent.
    /// </summary>
    internal sealed class Certificate : BcTlsCertificate
    {
        private NativeSignatureKey? _key;
        private bool _keyTried;

        public Certificate(BcTlsCrypto crypto, byte[] encoding)
            : this(crypto, Parse(encoding))
        {
        }

        private Certificate(BcTlsCrypto crypto, ParsedCertificate parsed)
            : base(crypto, parsed.Bc.CertificateStructure)
        {
            Parsed = parsed;
        }

        /// <summary>The certificate as sent, parsed once for the handshake and the DANE verdict.</summary>
        public ParsedCertificate Parsed { get; }

        /// <summary>The bytes as the server sent them, never a re-encoding (selector 0 hashes these).</summary>
        public override byte[] GetEncoded() => (byte[])Parsed.Der.Clone();

        private static ParsedCertificate Parse(byte[] encoding)
        {
            try
            {
                return ParsedCertificate.FromDer(encoding);
            }
            catch (CertificateFormatException ex)
            {
                throw new TlsFatalAlert(AlertDescription.bad_certificate, ex.Message, ex);
            }
        }

        private NativeSignatureKey? Key
        {
            get
            {
                if (!_keyTried)
                {
                    _key = NativeSignatureKey.From(GetPublicKey());
                    _keyTried = true;
                }

                return _key;
            }
        }

        public override Tls13Verifier CreateVerifier(int signatureScheme)
        {
            var fallback = base.CreateVerifier(signatureScheme); // also validates the scheme against the key
            return Key is { } key ? new Verifier(key, signatureScheme, fallback) : fallback;
        }

        public override TlsVerifier CreateVerifier(short signatureAlgorithm)
        {
            var fallback = base.CreateVerifier(signatureAlgorithm);
            return signatureAlgorithm == SignatureAlgorithm.ecdsa && Key is { } key ? new EcdsaHashVerifier(key, fallback) : fallback;
        }
    }

    /// <summary>TLS 1.0-1.2 ECDSA: BouncyCastle hands over the hash; the platform checks the signature.</summary>
    private sealed class EcdsaHashVerifier : TlsVerifier
    {
        private readonly NativeSignatureKey _key;
        private readonly TlsVerifier _fallback;

        public EcdsaHashVerifier(NativeSignatureKey key, TlsVerifier fallback)
        {
            _key = key;
            _fallback = fallback;
        }

        public TlsStreamVerifier? GetStreamVerifier(DigitallySigned digitallySigned) => null;

        public bool VerifyRawSignature(DigitallySigned digitallySigned, byte[] hash) =>
            _key.TryVerifyEcdsaHash(hash, digitallySigned.Signature, out var valid) ? valid : _fallback.VerifyRawSignature(digitallySigned, hash);
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
