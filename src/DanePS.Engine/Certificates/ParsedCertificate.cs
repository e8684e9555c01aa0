using System;
using System.Linq;
using DanePS.Engine.Tlsa;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;
using X509Certificate2 = System.Security.Cryptography.X509Certificates.X509Certificate2;

namespace DanePS.Engine.Certificates;

/// <summary>
/// A certificate with the byte views DANE needs (full DER exactly as given, SPKI DER) and its BouncyCastle form for
/// signature checks and extensions. Internal: BouncyCastle types never leave the engine.
/// </summary>
/// <remarks>
/// DANE-EE needs nothing of a certificate but its bytes and its key (RFC 7671 §5.1), so a certificate that is
/// unusual but parseable by mainstream TLS stacks (empty issuer, duplicated extensions, …) must still be read.
/// BouncyCastle refuses some of these; such a certificate is read leniently (see <see cref="NotWellFormed"/>):
/// its names, key and bytes are the real ones, its <see cref="Bc"/> form is a sanitized copy used only to read
/// extensions, and it never verifies as part of an issuer chain.
/// </remarks>
internal sealed class ParsedCertificate
{
    private ParsedCertificate(BcCertificate bc, byte[] der, X509Name subject, X509Name issuer, byte[] spkiDer, string? notWellFormed)
    {
        Bc = bc;
        Der = der;
        SubjectName = subject;
        IssuerName = issuer;
        SpkiDer = spkiDer;
        NotWellFormed = notWellFormed;
    }

    private X509Certificate2? _x509;
    private byte[]? _spkiSha256;
    private byte[]? _spkiSha512;
    private byte[]? _certSha256;
    private byte[]? _certSha512;
    private NativeSignatureKey? _nativeKey;
    private bool _nativeKeyTried;
    private AsymmetricKeyParameter? _publicKey;
    private string? _publicKeyProblem;
    private bool _publicKeyTried;
    private CertificateProfile? _profile;

    /// <summary>BouncyCastle's view; for a <see cref="NotWellFormed"/> certificate, a sanitized copy (extensions only).</summary>
    public BcCertificate Bc { get; }

    /// <summary>The certificate's bytes exactly as given (as the server sent them): what selector 0 hashes.</summary>
    public byte[] Der { get; }

    /// <summary>The SubjectPublicKeyInfo in DER: what selector 1 hashes (as OpenSSL's i2d_X509_PUBKEY gives it).</summary>
    public byte[] SpkiDer { get; }

    public X509Name SubjectName { get; }

    public X509Name IssuerName { get; }

    /// <summary>Why strict X.509 parsing refused this certificate (null when it did not): it can still match DANE-EE.</summary>
    public string? NotWellFormed { get; }

    public string Subject => SubjectName.ToString();

    public string Issuer => IssuerName.ToString();

    public DateTime NotBeforeUtc => Bc.NotBefore.ToUniversalTime();

    public DateTime NotAfterUtc => Bc.NotAfter.ToUniversalTime();

    public bool IsSelfIssued => SubjectName.Equivalent(IssuerName);

    /// <summary>The extensions and constraints a chain verifier reads, computed once.</summary>
    public CertificateProfile Profile => _profile ??= CertificateProfile.Read(this);

    /// <summary>The public key, or null when it cannot be read (<see cref="PublicKeyProblem"/> says why).</summary>
    public AsymmetricKeyParameter? PublicKey
    {
        get
        {
            ReadPublicKey();
            return _publicKey;
        }
    }

    /// <summary>Why the public key cannot be read; null when it can.</summary>
    public string? PublicKeyProblem
    {
        get
        {
            ReadPublicKey();
            return _publicKeyProblem;
        }
    }

    /// <summary>Parses a certificate in DER, leniently when BouncyCastle's strict parser refuses it.</summary>
    /// <exception cref="CertificateFormatException">The data is not an X.509 certificate at all.</exception>
    public static ParsedCertificate FromDer(byte[] der)
    {
        if (der is null || der.Length == 0)
        {
            throw new CertificateFormatException("The data holds no X.509 certificate.");
        }

        var copy = (byte[])der.Clone();
        Exception strictError;
        try
        {
            var bc = new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(copy)
                ?? throw new CertificateFormatException("The data holds no X.509 certificate.");
            var structure = bc.CertificateStructure;
            return new ParsedCertificate(bc, copy, structure.Subject, structure.Issuer, structure.SubjectPublicKeyInfo.GetDerEncoded(), null);
        }
        catch (Exception ex) when (ex is Org.BouncyCastle.Security.Certificates.CertificateException or ArgumentException or InvalidCastException or System.IO.IOException or InvalidOperationException)
        {
            strictError = ex;
        }

        return LenientCertificateReader.Read(copy, strictError, (bc, subject, issuer, spki, problem) => new ParsedCertificate(bc, copy, subject, issuer, spki, problem));
    }

    public static ParsedCertificate From(X509Certificate2 certificate) => FromDer(certificate.RawData);

    public static ParsedCertificate From(BcCertificate bc) => FromDer(bc.GetEncoded());

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
        if (NotWellFormed is not null)
        {
            return false; // its BouncyCastle form is a sanitized copy: the signature is not over it
        }

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
        if (NotWellFormed is not null || !IssuerName.Equivalent(issuer.SubjectName) || issuer.PublicKey is not { } issuerKey)
        {
            return false;
        }

        // The platform's ECDSA and RSA are many times faster than managed code; anything else goes to BouncyCastle.
        if (issuer.NativeKey is { } key && key.TryVerify(Bc.SigAlgOid, Bc.GetTbsCertificate(), Bc.GetSignature(), out var valid))
        {
            return valid;
        }

        return IsSignedBy(issuerKey);
    }

    private NativeSignatureKey? NativeKey
    {
        get
        {
            if (!_nativeKeyTried)
            {
                _nativeKey = PublicKey is { } key ? NativeSignatureKey.From(key) : null;
                _nativeKeyTried = true;
            }

            return _nativeKey;
        }
    }

    public bool IsValidAt(DateTime utc) => utc >= NotBeforeUtc && utc <= NotAfterUtc;

    public bool SameAs(ParsedCertificate other) => Der.SequenceEqual(other.Der);

    /// <summary>A short description of the key, e.g. "RSA 2048" or "EC P-256".</summary>
    public string KeyDescription => PublicKey is { } key ? PublicKeyDescription.Describe(key) : "unreadable key";

    private void ReadPublicKey()
    {
        if (_publicKeyTried)
        {
            return;
        }

        _publicKeyTried = true;
        try
        {
            _publicKey = Org.BouncyCastle.Security.PublicKeyFactory.CreateKey(SpkiDer);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var algorithm = SubjectPublicKeyInfo.GetInstance(Asn1Object.FromByteArray(SpkiDer)).Algorithm.Algorithm.Id;
            _publicKeyProblem = $"its public key (algorithm {algorithm}) cannot be read: {ex.Message}";
        }
    }
}
