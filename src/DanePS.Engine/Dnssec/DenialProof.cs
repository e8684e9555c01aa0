using System;
using System.Collections.Generic;
using System.Linq;

namespace DanePS.Engine.Dnssec;

/// <summary>What a set of validated NSEC or NSEC3 records proves about a name.</summary>
internal enum DenialResult
{
    /// <summary>The denial asked for is proven.</summary>
    Proven,

    /// <summary>(DS) the name is a delegation without DS: everything below is insecure.</summary>
    InsecureDelegation,

    /// <summary>(DS) the name exists but is not a zone cut (or is an empty non-terminal).</summary>
    NotACut,

    /// <summary>(DS) the name does not exist.</summary>
    NoSuchName,

    /// <summary>The proof rests on an opt-out NSEC3 span: unsigned delegations may hide there, so it is insecure.</summary>
    OptOut,

    /// <summary>NSEC3 with more iterations than DanePS computes (RFC 9276): insecure, as validators treat it.</summary>
    TooManyIterations,

    /// <summary>The records do not prove it.</summary>
    Unproven,
}

/// <summary>
/// Authenticated denial of existence (RFC 4035 §5.4, RFC 5155 §8, RFC 6840 §4): NXDOMAIN and NODATA with NSEC and
/// NSEC3, closest-encloser, next-closer and wildcard proofs, opt-out. Works on records whose signatures were checked.
/// </summary>
internal static class DenialProof
{
    /// <summary>
    /// NSEC3 iterations above this are treated as insecure. RFC 9276 §3.2 lets validators do so above 0; Unbound and
    /// BIND stop at 150 (their default), as does DanePS, so zones they validate DanePS validates too.
    /// </summary>
    public const int MaxNsec3Iterations = 150;

    public readonly struct Outcome
    {
        public Outcome(DenialResult result, string reason)
        {
            Result = result;
            Reason = reason;
        }

        public DenialResult Result { get; }

        public string Reason { get; }
    }

    private static Outcome Ok => new(DenialResult.Proven, string.Empty);

    private static Outcome Fail(string reason) => new(DenialResult.Unproven, reason);

    /// <summary>NXDOMAIN or NODATA for <paramref name="name"/> and <paramref name="type"/> (DS included).</summary>
    public static Outcome Prove(DomainName name, ushort type, bool nxDomain, DomainName zone, IReadOnlyList<NsecInfo> nsecs, IReadOnlyList<Nsec3Info> nsec3s)
    {
        if (nsecs.Count > 0)
        {
            return type == DnsWire.TypeDs && !nxDomain ? NsecDs(name, nsecs) : nxDomain ? NsecNxDomain(name, nsecs) : NsecNoData(name, type, nsecs);
        }

        if (nsec3s.Count > 0)
        {
            var usable = nsec3s.Where(n => n.HashAlgorithm == 1 && n.Zone.Equals(zone)).ToList();
            if (usable.Count == 0)
            {
                return new Outcome(DenialResult.OptOut, $"the NSEC3 records of {zone} use a hash algorithm DanePS does not know: the denial is insecure");
            }

            if (usable.Max(n => n.Iterations) > MaxNsec3Iterations)
            {
                return new Outcome(DenialResult.TooManyIterations, $"NSEC3 with {usable.Max(n => n.Iterations)} iterations (more than {MaxNsec3Iterations}, RFC 9276): the denial is insecure");
            }

            var proof = new Nsec3Proof(usable, zone);
            return type == DnsWire.TypeDs && !nxDomain ? proof.Ds(name) : nxDomain ? proof.NxDomain(name) : proof.NoData(name, type);
        }

        return Fail($"no NSEC or NSEC3 record proves the {(nxDomain ? "NXDOMAIN" : "NODATA")} for {name}");
    }

    /// <summary>A wildcard-synthesised answer at <paramref name="name"/>: proof that no closer name exists.</summary>
    public static Outcome ProveWildcard(DomainName name, int signatureLabels, DomainName zone, IReadOnlyList<NsecInfo> nsecs, IReadOnlyList<Nsec3Info> nsec3s)
    {
        if (nsecs.Any(n => Usable(n, name) && n.Covers(name)))
        {
            return Ok;
        }

        var usable = nsec3s.Where(n => n.HashAlgorithm == 1 && n.Zone.Equals(zone)).ToList();
        if (usable.Count > 0)
        {
            if (usable.Max(n => n.Iterations) > MaxNsec3Iterations)
            {
                return new Outcome(DenialResult.TooManyIterations, $"NSEC3 with more than {MaxNsec3Iterations} iterations (RFC 9276): the wildcard proof is insecure");
            }

            var nextCloser = name.Suffix(signatureLabels + 1);
            var cover = new Nsec3Proof(usable, zone).Cover(nextCloser);
            if (cover is not null)
            {
                return cover.OptOut ? new Outcome(DenialResult.OptOut, $"the wildcard proof for {name} rests on an opt-out NSEC3 span") : Ok;
            }
        }

        return Fail($"wildcard expansion without proof: {name} was answered from the wildcard *.{name.Suffix(signatureLabels)}, and no NSEC/NSEC3 proves that {name} itself does not exist");
    }

    private static bool Usable(NsecInfo nsec, DomainName name) => !(nsec.IsDelegation && name.IsBelow(nsec.Owner));

    private static Outcome NsecNoData(DomainName name, ushort type, IReadOnlyList<NsecInfo> nsecs)
    {
        var match = nsecs.FirstOrDefault(n => n.Owner.Equals(name));
        if (match is not null)
        {
            if (match.IsDelegation)
            {
                return Fail($"the NSEC at {name} is from the parent side of a delegation: it proves nothing about {DnsWireClient.TypeName(type)} at {name}");
            }

            if (match.Types.Contains(type) || match.Types.Contains(DnsWire.TypeCname))
            {
                return Fail($"the NSEC at {name} lists {(match.Types.Contains(type) ? DnsWireClient.TypeName(type) : "CNAME")}: the NODATA is contradicted");
            }

            return Ok;
        }

        if (nsecs.Any(n => Usable(n, name) && n.Covers(name) && n.Next.IsBelow(name)))
        {
            return Ok; // an empty non-terminal: it exists, with no data
        }

        var cover = nsecs.FirstOrDefault(n => Usable(n, name) && n.Covers(name));
        if (cover is not null)
        {
            var wildcard = ClosestEncloser(name, cover).Wildcard();
            var wc = nsecs.FirstOrDefault(n => n.Owner.Equals(wildcard));
            if (wc is not null && !wc.Types.Contains(type) && !wc.Types.Contains(DnsWire.TypeCname))
            {
                return Ok;
            }
        }

        return Fail($"the denial does not cover the name: no NSEC shows that {name} has no {DnsWireClient.TypeName(type)}");
    }

    private static Outcome NsecNxDomain(DomainName name, IReadOnlyList<NsecInfo> nsecs)
    {
        var cover = nsecs.FirstOrDefault(n => Usable(n, name) && n.Covers(name));
        if (cover is null)
        {
            return Fail($"the denial does not cover the name: no NSEC covers {name}, so its NXDOMAIN is unproven");
        }

        var wildcard = ClosestEncloser(name, cover).Wildcard();
        if (nsecs.Any(n => n.Owner.Equals(wildcard)))
        {
            return Fail($"the wildcard {wildcard} exists, so {name} should have been answered from it: the NXDOMAIN is contradicted");
        }

        if (!nsecs.Any(n => n.Covers(wildcard)))
        {
            return Fail($"no NSEC proves that the wildcard {wildcard} does not exist, so the NXDOMAIN for {name} is unproven");
        }

        return Ok;
    }

    private static Outcome NsecDs(DomainName name, IReadOnlyList<NsecInfo> nsecs)
    {
        var match = nsecs.FirstOrDefault(n => n.Owner.Equals(name));
        if (match is not null)
        {
            if (match.Types.Contains(DnsWire.TypeDs))
            {
                return Fail($"the NSEC at {name} lists DS: the denial of DS is contradicted");
            }

            if (match.Types.Contains(DnsWire.TypeSoa))
            {
                return Fail($"the denial of DS for {name} comes from the child zone's apex, not from its parent");
            }

            return match.Types.Contains(DnsWire.TypeNs) ? new Outcome(DenialResult.InsecureDelegation, "NSEC") : new Outcome(DenialResult.NotACut, string.Empty);
        }

        var cover = nsecs.FirstOrDefault(n => Usable(n, name) && n.Covers(name));
        return cover is null
            ? Fail($"the denial does not cover the name: no NSEC shows whether {name} has a DS")
            : new Outcome(cover.Next.IsBelow(name) ? DenialResult.NotACut : DenialResult.NoSuchName, string.Empty);
    }

    /// <summary>The longest ancestor of the name shared with the NSEC's owner or next name.</summary>
    private static DomainName ClosestEncloser(DomainName name, NsecInfo cover)
    {
        var a = CommonSuffix(name, cover.Owner);
        var b = CommonSuffix(name, cover.Next);
        return a.LabelCount >= b.LabelCount ? a : b;
    }

    private static DomainName CommonSuffix(DomainName a, DomainName b)
    {
        var n = 0;
        while (n < Math.Min(a.LabelCount, b.LabelCount) && a.Suffix(n + 1).Equals(b.Suffix(n + 1)))
        {
            n++;
        }

        return a.Suffix(n);
    }

    private sealed class Nsec3Proof
    {
        private readonly IReadOnlyList<Nsec3Info> _records;
        private readonly DomainName _zone;
        private readonly byte[] _salt;
        private readonly int _iterations;

        public Nsec3Proof(IReadOnlyList<Nsec3Info> records, DomainName zone)
        {
            _records = records;
            _zone = zone;
            _salt = records[0].Salt;
            _iterations = records[0].Iterations;
        }

        public Nsec3Info? Match(DomainName name)
        {
            var hash = Nsec3Info.Hash(name, _salt, _iterations);
            return _records.FirstOrDefault(r => r.Matches(hash));
        }

        public Nsec3Info? Cover(DomainName name)
        {
            var hash = Nsec3Info.Hash(name, _salt, _iterations);
            return _records.FirstOrDefault(r => r.Covers(hash));
        }

        /// <summary>RFC 5155 §8.3: the closest provable encloser, and the NSEC3 covering the next closer name.</summary>
        public (DomainName? Encloser, Nsec3Info? NextCloserCover) ClosestEncloser(DomainName name)
        {
            for (var candidate = name.Parent(); candidate.IsAtOrBelow(_zone); candidate = candidate.Parent())
            {
                if (Match(candidate) is not null)
                {
                    var nextCloser = name.Suffix(candidate.LabelCount + 1);
                    return (candidate, Cover(nextCloser));
                }

                if (candidate.IsRoot)
                {
                    break;
                }
            }

            return (null, null);
        }

        public Outcome NoData(DomainName name, ushort type)
        {
            var match = Match(name);
            if (match is not null)
            {
                if (match.Types.Contains(type) || match.Types.Contains(DnsWire.TypeCname))
                {
                    return Fail($"the NSEC3 matching {name} lists {(match.Types.Contains(type) ? DnsWireClient.TypeName(type) : "CNAME")}: the NODATA is contradicted");
                }

                return Ok;
            }

            var (encloser, cover) = ClosestEncloser(name);
            if (encloser is null || cover is null)
            {
                return Fail($"NSEC3 gap: no NSEC3 matches {name}, and no closest-encloser proof shows it has no {DnsWireClient.TypeName(type)}");
            }

            var wildcard = Match(encloser.Wildcard());
            if (wildcard is not null && !wildcard.Types.Contains(type) && !wildcard.Types.Contains(DnsWire.TypeCname))
            {
                return cover.OptOut ? new Outcome(DenialResult.OptOut, $"the NODATA for {name} rests on an opt-out NSEC3 span") : Ok;
            }

            return cover.OptOut
                ? new Outcome(DenialResult.OptOut, $"the NODATA for {name} rests on an opt-out NSEC3 span")
                : Fail($"the denial does not cover the name: no NSEC3 proves that {name} has no {DnsWireClient.TypeName(type)}");
        }

        public Outcome NxDomain(DomainName name)
        {
            var (encloser, cover) = ClosestEncloser(name);
            if (encloser is null)
            {
                return Fail($"NSEC3 gap: no NSEC3 proves a closest encloser of {name}");
            }

            if (cover is null)
            {
                return Fail($"NSEC3 gap: no NSEC3 covers the next closer name of {name}, so its NXDOMAIN is unproven");
            }

            var wildcard = encloser.Wildcard();
            if (Match(wildcard) is not null)
            {
                return Fail($"the wildcard {wildcard} exists, so {name} should have been answered from it: the NXDOMAIN is contradicted");
            }

            if (Cover(wildcard) is null)
            {
                return Fail($"NSEC3 gap: no NSEC3 proves that the wildcard {wildcard} does not exist");
            }

            return cover.OptOut ? new Outcome(DenialResult.OptOut, $"the NXDOMAIN for {name} rests on an opt-out NSEC3 span") : Ok;
        }

        public Outcome Ds(DomainName name)
        {
            var match = Match(name);
            if (match is not null)
            {
                if (match.Types.Contains(DnsWire.TypeDs))
                {
                    return Fail($"the NSEC3 matching {name} lists DS: the denial of DS is contradicted");
                }

                if (match.Types.Contains(DnsWire.TypeSoa))
                {
                    return Fail($"the denial of DS for {name} comes from the child zone's apex, not from its parent");
                }

                return match.Types.Contains(DnsWire.TypeNs) ? new Outcome(DenialResult.InsecureDelegation, "NSEC3") : new Outcome(DenialResult.NotACut, string.Empty);
            }

            var (encloser, cover) = ClosestEncloser(name);
            if (encloser is null || cover is null)
            {
                return Fail($"NSEC3 gap: no NSEC3 shows whether {name} has a DS");
            }

            return cover.OptOut
                ? new Outcome(DenialResult.InsecureDelegation, $"an opt-out NSEC3 span, which may hold unsigned delegations such as {name}")
                : new Outcome(DenialResult.NoSuchName, string.Empty);
        }
    }
}
