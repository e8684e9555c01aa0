using System;
using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace DanePS.Engine.Certificates;

/// <summary>
/// What a chain verifier reads from a certificate's extensions, the way OpenSSL's <c>x509v3_cache_extensions</c>
/// reads them: basic constraints, key usage, extended key usage, name constraints, and the critical extensions
/// it does not understand.
/// </summary>
internal sealed class CertificateProfile
{
    /// <summary>
    /// The extensions OpenSSL's verifier handles (<c>X509_supported_extension</c>); any other extension marked
    /// critical makes the certificate unusable in a verified chain (RFC 5280 §4.2).
    /// </summary>
    private static readonly HashSet<string> UnderstoodExtensions = new(StringComparer.Ordinal)
    {
        "2.16.840.1.113730.1.1", // Netscape certificate type
        "2.5.29.15", // key usage
        "2.5.29.17", // subject alternative name
        "2.5.29.19", // basic constraints
        "2.5.29.32", // certificate policies
        "2.5.29.31", // CRL distribution points
        "2.5.29.37", // extended key usage
        "1.3.6.1.5.5.7.1.7", // RFC 3779 IP address blocks
        "1.3.6.1.5.5.7.1.8", // RFC 3779 AS identifiers
        "1.3.6.1.5.5.7.48.1.5", // OCSP no check
        "2.5.29.36", // policy constraints
        "1.3.6.1.5.5.7.1.14", // proxy certificate information
        "2.5.29.30", // name constraints
        "2.5.29.33", // policy mappings
        "2.5.29.54", // inhibit any policy
    };

    private CertificateProfile()
    {
    }

    public bool HasBasicConstraints { get; private set; }

    public bool IsCa { get; private set; }

    /// <summary>pathLenConstraint, when given.</summary>
    public int? PathLength { get; private set; }

    public bool HasKeyUsage { get; private set; }

    public int KeyUsageBits { get; private set; }

    /// <summary>The extended key usage OIDs; null when the extension is absent.</summary>
    public IReadOnlyList<string>? ExtendedKeyUsages { get; private set; }

    public NameConstraints? NameConstraints { get; private set; }

    public bool IsProxy { get; private set; }

    public bool IsVersion1 { get; private set; }

    /// <summary>Critical extensions OpenSSL's verifier does not handle, by OID.</summary>
    public IReadOnlyList<string> UnknownCriticalExtensions { get; private set; } = Array.Empty<string>();

    /// <summary>Why an extension could not be read, if one could not (a certificate with such an extension fails verification).</summary>
    public string? Problem { get; private set; }

    public bool AllowsKeyUsage(int bits) => !HasKeyUsage || (KeyUsageBits & bits) != 0;

    public static CertificateProfile Read(ParsedCertificate certificate)
    {
        var profile = new CertificateProfile { IsVersion1 = certificate.Bc.Version == 1 };
        var extensions = certificate.Bc.CertificateStructure.TbsCertificate.Extensions;
        if (extensions is null)
        {
            return profile;
        }

        try
        {
            profile.UnknownCriticalExtensions = extensions.GetCriticalExtensionOids().Select(o => o.Id).Where(id => !UnderstoodExtensions.Contains(id)).ToList();
            if (extensions.GetExtensionParsedValue(X509Extensions.BasicConstraints) is { } bc)
            {
                var basic = BasicConstraints.GetInstance(bc);
                profile.HasBasicConstraints = true;
                profile.IsCa = basic.IsCA();
                profile.PathLength = basic.PathLenConstraintInteger?.IntValueExact;
            }

            if (extensions.GetExtensionParsedValue(X509Extensions.KeyUsage) is { } ku)
            {
                profile.HasKeyUsage = true;
                profile.KeyUsageBits = DerBitString.GetInstance(ku).IntValue;
            }

            if (extensions.GetExtensionParsedValue(X509Extensions.ExtendedKeyUsage) is { } eku)
            {
                profile.ExtendedKeyUsages = ExtendedKeyUsage.GetInstance(eku).GetAllUsages().Select(u => DerObjectIdentifier.GetInstance(u).Id).ToList();
            }

            if (extensions.GetExtensionParsedValue(X509Extensions.NameConstraints) is { } nc)
            {
                profile.NameConstraints = NameConstraints.GetInstance(nc);
            }

            profile.IsProxy = extensions.GetExtension(new DerObjectIdentifier("1.3.6.1.5.5.7.1.14")) is not null;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidCastException or InvalidOperationException or System.IO.IOException or OverflowException or ArithmeticException)
        {
            profile.Problem = $"an extension cannot be read ({ex.Message})";
        }

        return profile;
    }
}
