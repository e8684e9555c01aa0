using System;
using DanePS.Engine.Certificates;
using X509Certificate2 = System.Security.Cryptography.X509Certificates.X509Certificate2;

namespace DanePS.Engine.Tlsa;

/// <summary>Builds TLSA records from certificates and public keys.</summary>
public static class TlsaRecordFactory
{
    /// <summary>The record for a certificate with the given parameters.</summary>
    public static TlsaRecord FromCertificate(X509Certificate2 certificate, TlsaUsage usage, TlsaSelector selector, TlsaMatchingType matchingType)
    {
        var parsed = ParsedCertificate.From(certificate ?? throw new ArgumentNullException(nameof(certificate)));
        return Build(parsed.SelectorData(Known(selector)), usage, selector, matchingType);
    }

    /// <summary>The record for a bare public key (SubjectPublicKeyInfo DER); the selector is SPKI(1).</summary>
    public static TlsaRecord FromSubjectPublicKeyInfo(byte[] subjectPublicKeyInfo, TlsaUsage usage, TlsaMatchingType matchingType) =>
        Build(subjectPublicKeyInfo ?? throw new ArgumentNullException(nameof(subjectPublicKeyInfo)), usage, TlsaSelector.Spki, matchingType);

    private static TlsaRecord Build(byte[] selected, TlsaUsage usage, TlsaSelector selector, TlsaMatchingType matchingType)
    {
        if ((byte)usage > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(usage), usage, "DanePS builds records only with the assigned usages 0-3.");
        }

        if ((byte)matchingType > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(matchingType), matchingType, "DanePS builds records only with the assigned matching types 0-2.");
        }

        return new TlsaRecord(usage, Known(selector), matchingType, CertificateDigest.Compute(matchingType, selected));
    }

    private static TlsaSelector Known(TlsaSelector selector) => (byte)selector <= 1
        ? selector
        : throw new ArgumentOutOfRangeException(nameof(selector), selector, "DanePS builds records only with the assigned selectors 0-1.");
}
