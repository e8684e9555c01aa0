using System;
using System.Collections.Generic;
using System.Linq;
using DanePS.Engine.Certificates;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Pkix;

namespace DanePS.Engine.Matching;

/// <summary>
/// The rules a verified chain (leaf first, trust anchor or top certificate last) must meet besides signatures and
/// dates, as OpenSSL's verifier applies them for a TLS client (<c>check_extensions</c> and
/// <c>check_name_constraints</c> with the "ssl_server" purpose), so DanePS and Postfix agree on DANE-TA and PKIX:
/// every issuer is a CA (basicConstraints cA, keyUsage keyCertSign when present, pathLenConstraint), no
/// certificate carries a critical extension the verifier does not understand, extended key usage allows a TLS
/// server, and names stay within every name constraint above them.
/// </summary>
/// <remarks>
/// As in OpenSSL, the certificate at the top may be a CA without basicConstraints when it is a self-signed
/// version 1 root or has keyUsage keyCertSign; every certificate between the leaf and the top needs an explicit
/// cA. The leaf's own basic constraints do not matter. DANE-EE(3) never comes here (RFC 7671 §5.1).
/// Not applied (OpenSSL does not by default either): policy checks, the Netscape certificate type, the
/// RFC 5280 "strict" profile (authority key identifiers, non-empty names).
/// </remarks>
internal static class ChainRules
{
    private const int DigitalSignature = 1 << 7;
    private const int KeyEncipherment = 1 << 5;
    private const int KeyAgreement = 1 << 3;
    private const int KeyCertSign = 1 << 2;

    private static readonly HashSet<string> ServerPurposes = new(StringComparer.Ordinal)
    {
        "1.3.6.1.5.5.7.3.1", // id-kp-serverAuth
        "2.16.840.1.113730.4.1", // Netscape server gated crypto
        "1.3.6.1.4.1.311.10.3.3", // Microsoft server gated crypto
    };

    /// <summary>The first rule the chain breaks, in words; null when it meets them all.</summary>
    public static string? Check(IReadOnlyList<ParsedCertificate> chain)
    {
        var intermediates = 0;
        for (var i = 0; i < chain.Count; i++)
        {
            var c = chain[i];
            var p = c.Profile;
            var where = i == 0 ? $"the leaf ({c.Subject})" : $"the certificate at depth {i} ({c.Subject})";
            if (c.NotWellFormed is not null)
            {
                return $"{where} is not well-formed X.509: {c.NotWellFormed}";
            }

            if (p.Problem is not null)
            {
                return $"{where}: {p.Problem}";
            }

            if (p.UnknownCriticalExtensions.Count > 0)
            {
                return $"{where} carries a critical extension the verifier does not understand ({string.Join(", ", p.UnknownCriticalExtensions)}), so it must be rejected (RFC 5280 §4.2)";
            }

            if (p.IsProxy)
            {
                return $"{where} is a proxy certificate (RFC 3820), which TLS server chains may not contain";
            }

            if (i > 0 && NotACa(c, isTop: i == chain.Count - 1) is { } notCa)
            {
                return $"{where} issued the certificate below it but is not a CA: {notCa} (RFC 5280 §4.2.1.9)";
            }

            if (p.ExtendedKeyUsages is { } ekus && !ekus.Any(ServerPurposes.Contains))
            {
                return $"{where} limits its extended key usage to {string.Join(", ", ekus)}, without serverAuth (RFC 5280 §4.2.1.12)";
            }

            if (i == 0 && !p.AllowsKeyUsage(DigitalSignature | KeyEncipherment | KeyAgreement))
            {
                return $"{where} has a keyUsage that allows neither digitalSignature, keyEncipherment nor keyAgreement (RFC 5280 §4.2.1.3)";
            }

            if (i > 1 && p.PathLength is int max && intermediates > max)
            {
                return $"{where} allows at most {max} CA certificate(s) below it (pathLenConstraint), but the chain has {intermediates} (RFC 5280 §4.2.1.9)";
            }

            if (i > 0 && !c.IsSelfIssued)
            {
                intermediates++;
            }
        }

        return NameConstraintProblem(chain);
    }

    /// <summary>Why a certificate that signed another is not a CA (OpenSSL's <c>X509_check_ca</c>); null when it is one.</summary>
    private static string? NotACa(ParsedCertificate c, bool isTop)
    {
        var p = c.Profile;
        if (!p.AllowsKeyUsage(KeyCertSign))
        {
            return "its keyUsage lacks keyCertSign";
        }

        if (p.HasBasicConstraints)
        {
            return p.IsCa ? null : "its basicConstraints say cA is false";
        }

        // Without basicConstraints only the top certificate may count as a CA: a self-signed version 1 root, or
        // one whose keyUsage allows keyCertSign. Below the top, OpenSSL requires an explicit cA.
        if (isTop && ((p.IsVersion1 && c.IsSelfIssued) || p.HasKeyUsage))
        {
            return null;
        }

        return p.IsVersion1 ? "it is a version 1 certificate below the top of the chain" : "it has no basicConstraints extension";
    }

    /// <summary>
    /// Every certificate's names (subject, e-mail addresses in it, subject alternative names, and the leaf's
    /// common name when it has no dNSName) must fall within the name constraints of every CA above it.
    /// Self-issued certificates other than the leaf are exempt (RFC 5280 §6.1.3).
    /// </summary>
    private static string? NameConstraintProblem(IReadOnlyList<ParsedCertificate> chain)
    {
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            var c = chain[i];
            if (i != 0 && c.IsSelfIssued)
            {
                continue;
            }

            for (var j = chain.Count - 1; j > i; j--)
            {
                if (chain[j].Profile.NameConstraints is not { } constraints)
                {
                    continue;
                }

                try
                {
                    var validator = new PkixNameConstraintValidator();
                    if (constraints.PermittedSubtreesValue is { } permitted)
                    {
                        validator.IntersectPermittedSubtree(Org.BouncyCastle.Asn1.Asn1Sequence.GetInstance(permitted.ToAsn1Object()));
                    }

                    if (constraints.ExcludedSubtreesValue is { } excluded)
                    {
                        foreach (var subtree in Org.BouncyCastle.Asn1.Asn1Sequence.GetInstance(excluded.ToAsn1Object()))
                        {
                            validator.AddExcludedSubtree(GeneralSubtree.GetInstance(subtree));
                        }
                    }

                    foreach (var name in NamesOf(c, isLeaf: i == 0))
                    {
                        if (name is null)
                        {
                            validator.CheckDN(c.SubjectName);
                        }
                        else
                        {
                            validator.CheckName(name);
                        }
                    }
                }
                catch (PkixNameConstraintValidatorException ex)
                {
                    return $"{(i == 0 ? "the leaf" : $"the certificate at depth {i}")} ({c.Subject}) has a name outside the name constraints of the certificate at depth {j} ({chain[j].Subject}): {ex.Message} (RFC 5280 §4.2.1.10)";
                }
            }
        }

        return null;
    }

    /// <summary>The names a constraint applies to; null stands for the subject distinguished name.</summary>
    private static IEnumerable<GeneralName?> NamesOf(ParsedCertificate c, bool isLeaf)
    {
        if (c.SubjectName.GetOidList().Count > 0)
        {
            yield return null;
        }

        foreach (var email in c.SubjectName.GetValueList(X509Name.EmailAddress))
        {
            yield return new GeneralName(GeneralName.Rfc822Name, email);
        }

        var hasDnsName = false;
        if (c.Bc.CertificateStructure.TbsCertificate.Extensions?.GetExtensionParsedValue(X509Extensions.SubjectAlternativeName) is { } san)
        {
            foreach (var name in GeneralNames.GetInstance(san).GetNames())
            {
                hasDnsName |= name.TagNo == GeneralName.DnsName;
                yield return name;
            }
        }

        // OpenSSL 3.0 checks a leaf's host-name-like common names against DNS constraints when it has no dNSName.
        if (isLeaf && !hasDnsName)
        {
            foreach (var cn in c.SubjectName.GetValueList(X509Name.CN))
            {
                if (cn.Length > 0 && cn.All(ch => char.IsLetterOrDigit(ch) || ch is '.' or '-' or '*') && cn.Contains('.'))
                {
                    yield return new GeneralName(GeneralName.DnsName, cn);
                }
            }
        }
    }
}
