using System;
using System.Collections.Generic;
using System.Linq;
using DanePS.Engine.Certificates;

namespace DanePS.Engine.Matching;

/// <summary>
/// Builds the chain from the leaf upward using only the given certificates, each link checked by issuer name
/// and signature. The server may send intermediates out of order or extra certificates; neither breaks the chain.
/// </summary>
/// <remarks>
/// Like OpenSSL's <c>build_chain</c>: the pool is searched in order (the caller puts certificates from DNS, and
/// trust anchors, first), an issuer valid at the validation time is preferred, else the one that expires last.
/// </remarks>
internal static class CertificateChainBuilder
{
    /// <summary>Deeper chains than this are not followed (loops and pathological inputs).</summary>
    public const int MaxDepth = 12;

    public static List<ParsedCertificate> Build(ParsedCertificate leaf, IReadOnlyList<ParsedCertificate> pool, DateTime? now = null)
    {
        var chain = new List<ParsedCertificate> { leaf };
        var current = leaf;
        while (chain.Count < MaxDepth && !(current.IsSelfIssued && current.IsIssuedBy(current)))
        {
            var candidates = pool.Where(c => !chain.Any(x => x.SameAs(c)) && current.IsIssuedBy(c)).ToList();
            var issuer = candidates.FirstOrDefault(c => now is not { } at || c.IsValidAt(at))
                ?? candidates.OrderByDescending(c => c.NotAfterUtc).FirstOrDefault();
            if (issuer is null)
            {
                break;
            }

            chain.Add(issuer);
            current = issuer;
        }

        return chain;
    }
}
