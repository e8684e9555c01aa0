using System;
using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Asn1.X509;
using DanePS.Engine.Certificates;

namespace DanePS.Engine.Matching;

/// <summary>
/// Name checks for DANE-TA and PKIX usages (RFC 7672 §3.2.3, RFC 6125): SAN dNSName entries, a wildcard only
/// as the whole left-most label, the subject CN only when the certificate has no dNSName at all.
/// </summary>
internal static class ReferenceNameMatcher
{
    public static IReadOnlyList<string> PresentedNames(ParsedCertificate certificate)
    {
        var sans = new List<string>();
        var altNames = certificate.Bc.GetSubjectAlternativeNames();
        if (altNames is not null)
        {
            foreach (var entry in altNames)
            {
                if (entry.Count >= 2 && entry[0] is int tag && tag == GeneralName.DnsName && entry[1] is string name)
                {
                    sans.Add(name);
                }
            }
        }

        if (sans.Count > 0)
        {
            return sans;
        }

        return certificate.SubjectName.GetValueList(X509Name.CN).Cast<string>().ToList();
    }

    public static bool Matches(ParsedCertificate leaf, IEnumerable<string> referenceNames)
    {
        var presented = PresentedNames(leaf);
        return referenceNames.Any(reference => presented.Any(name => NameMatches(name, reference)));
    }

    public static bool NameMatches(string presented, string reference)
    {
        var p = Normalize(presented);
        var r = Normalize(reference);
        if (p.Length == 0 || r.Length == 0)
        {
            return false;
        }

        if (!p.StartsWith("*.", StringComparison.Ordinal))
        {
            return string.Equals(p, r, StringComparison.OrdinalIgnoreCase);
        }

        // "*.example.com" stands for exactly one label, and needs at least two labels after it.
        var suffix = p.Substring(1);
        if (suffix.Count(c => c == '.') < 2)
        {
            return false;
        }

        var firstDot = r.IndexOf('.');
        return firstDot > 0 && string.Equals(r.Substring(firstDot), suffix, StringComparison.OrdinalIgnoreCase);
    }

    private static string Normalize(string name) => name.Trim().TrimEnd('.');
}
