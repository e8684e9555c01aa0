using System.Collections.Generic;
using System.Linq;
using DanePS.Engine.Certificates;

namespace DanePS.Engine.Matching;

/// <summary>
/// Builds the chain from the leaf upward using only the given certificates, each link checked by issuer name
/// and signature. The server may send intermediates out of order or extra certificates; neither breaks the chain.
/// </summary>
internal static class CertificateChainBuilder
{
    /// <summary>Deeper chains than this are not followed (loops and pathological inputs).</summary>
    public const int MaxDepth = 12;

    public static List<ParsedCertificate> Build(ParsedCertificate leaf, IReadOnlyList<ParsedCertificate> pool)
    {
        var chain = new List<ParsedCertificate> { leaf };
        var current = leaf;
        while (chain.Count < MaxDepth && !(current.IsSelfIssued && current.IsIssuedBy(current)))
        {
            var issuer = pool.FirstOrDefault(c => !chain.Any(x => x.SameAs(c)) && current.IsIssuedBy(c));
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
