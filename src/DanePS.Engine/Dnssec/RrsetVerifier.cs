using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DanePS.Engine.Dnssec;

/// <summary>Whether one RRset's signatures verify, and if not, the most telling reason why.</summary>
internal sealed class RrsetCheck
{
    public bool Valid { get; set; }

    /// <summary>No RRSIG of the set uses an algorithm DanePS implements.</summary>
    public bool OnlyUnsupported { get; set; }

    public string? Reason { get; set; }

    /// <summary>The RRSIG that verified.</summary>
    public RrsigInfo? Signature { get; set; }

    /// <summary>How long the validated RRset may be believed: min of its TTL, the original TTL and the signature's expiration.</summary>
    public DateTimeOffset ValidUntil { get; set; }
}

/// <summary>
/// RRSIG verification over one RRset (RFC 4034 §3.1.8.1 and §6, RFC 4035 §5.3): canonical form and order, original
/// TTL, label count (wildcards), signer name, validity period and the keys' flags.
/// </summary>
internal static class RrsetVerifier
{
    /// <summary>
    /// Clock skew allowed on both ends of a signature's validity period: five minutes, as a machine whose clock is a
    /// little off should not turn a freshly signed zone bogus (validators allow some; Unbound's minimum is larger).
    /// An expired signature is still reported once it is more than this past its expiration.
    /// </summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>The data an RRSIG signs: its fields, then each RR in canonical form and order.</summary>
    public static byte[] SignedData(RrsigInfo sig, IReadOnlyList<WireRecord> rrset)
    {
        var owner = rrset[0].Owner;
        var name = owner;
        var ownerLabels = owner.IsWildcard ? owner.LabelCount - 1 : owner.LabelCount;
        if (sig.Labels < ownerLabels)
        {
            name = owner.Suffix(sig.Labels).Wildcard();
        }

        var nameWire = name.ToWire(canonical: true);
        var rdatas = new List<byte[]>(rrset.Count);
        foreach (var record in rrset)
        {
            rdatas.Add(record.CanonicalRdata());
        }

        // Canonical order, duplicates removed (RFC 4034 §6.3).
        rdatas.Sort(ByteArrayComparer.Instance);
        var length = sig.SignedFields.Length;
        var kept = 0;
        for (var i = 0; i < rdatas.Count; i++)
        {
            if (i > 0 && ByteArrayComparer.Instance.Compare(rdatas[i], rdatas[kept - 1]) == 0)
            {
                continue;
            }

            rdatas[kept++] = rdatas[i];
            length += nameWire.Length + 10 + rdatas[i].Length;
        }

        var data = new byte[length];
        Buffer.BlockCopy(sig.SignedFields, 0, data, 0, sig.SignedFields.Length);
        var at = sig.SignedFields.Length;
        var type = rrset[0].Type;
        var @class = rrset[0].Class;
        for (var i = 0; i < kept; i++)
        {
            var rdata = rdatas[i];
            Buffer.BlockCopy(nameWire, 0, data, at, nameWire.Length);
            at += nameWire.Length;
            data[at++] = (byte)(type >> 8);
            data[at++] = (byte)type;
            data[at++] = (byte)(@class >> 8);
            data[at++] = (byte)@class;
            data[at++] = (byte)(sig.OriginalTtl >> 24);
            data[at++] = (byte)(sig.OriginalTtl >> 16);
            data[at++] = (byte)(sig.OriginalTtl >> 8);
            data[at++] = (byte)sig.OriginalTtl;
            data[at++] = (byte)(rdata.Length >> 8);
            data[at++] = (byte)rdata.Length;
            Buffer.BlockCopy(rdata, 0, data, at, rdata.Length);
            at += rdata.Length;
        }

        return data;
    }

    /// <summary>
    /// Checks <paramref name="rrset"/> (one owner, type and class) against the RRSIGs that cover it, with the
    /// validated zone keys of <paramref name="zone"/>. Valid as soon as one RRSIG verifies.
    /// </summary>
    public static RrsetCheck Verify(IReadOnlyList<WireRecord> rrset, IReadOnlyList<RrsigInfo> signatures, IReadOnlyList<DnskeyInfo> keys, DomainName zone, DateTimeOffset now)
    {
        var owner = rrset[0].Owner;
        var type = rrset[0].Type;
        string What() => $"{owner} {DnsWireClient.TypeName(type)}"; // for reasons only: built when one is
        if (signatures.Count == 0)
        {
            return new RrsetCheck { Reason = $"missing RRSIG: {What()} comes without a signature from a signed zone ({zone})" };
        }

        var reasons = new List<(int Rank, string Text)>();
        var unsupported = 0;
        foreach (var sig in signatures)
        {
            if (!DnssecCrypto.IsSupportedAlgorithm(sig.Algorithm))
            {
                unsupported++;
                reasons.Add((1, $"unsupported algorithm: {What()} is signed with {DnssecCrypto.AlgorithmName(sig.Algorithm)}, which DanePS does not implement"));
                continue;
            }

            if (!sig.Signer.Equals(zone) || !owner.IsAtOrBelow(sig.Signer))
            {
                reasons.Add((5, $"wrong signer: the RRSIG over {What()} names {sig.Signer} as signer, not the zone {zone}"));
                continue;
            }

            var ownerLabels = owner.IsWildcard ? owner.LabelCount - 1 : owner.LabelCount;
            if (sig.Labels > ownerLabels)
            {
                reasons.Add((5, string.Format(CultureInfo.InvariantCulture, "bad label count: the RRSIG over {0} claims {1} labels, the name has {2}", What(), sig.Labels, ownerLabels)));
                continue;
            }

            var inception = sig.InceptionTime(now);
            var expiration = sig.ExpirationTime(now);
            if (now + ClockSkew < inception)
            {
                reasons.Add((6, $"signature not yet valid: the RRSIG over {What()} (key tag {sig.KeyTag}) is valid from {inception.UtcDateTime:u}"));
                continue;
            }

            if (now - ClockSkew > expiration)
            {
                reasons.Add((6, $"signature expired: the RRSIG over {What()} (key tag {sig.KeyTag}) expired on {expiration.UtcDateTime:u}"));
                continue;
            }

            var candidates = keys.Where(k => k.KeyTag == sig.KeyTag && k.Algorithm == sig.Algorithm && k.Protocol == 3).ToList();
            if (candidates.Count == 0)
            {
                reasons.Add((4, $"no DNSKEY of {zone} with key tag {sig.KeyTag} ({DnssecCrypto.AlgorithmName(sig.Algorithm)}) made the RRSIG over {What()}"));
                continue;
            }

            var data = SignedData(sig, rrset);

            // Key tags can collide: each candidate key is tried in turn.
            foreach (var key in candidates)
            {
                if (key.IsRevoked)
                {
                    reasons.Add((7, $"revoked key: the RRSIG over {What()} was made with DNSKEY {key.KeyTag}, which is revoked (RFC 5011)"));
                    continue;
                }

                if (!key.IsZoneKey)
                {
                    reasons.Add((7, $"the DNSKEY {key.KeyTag} that signed {What()} is not a zone key"));
                    continue;
                }

                if (DnssecCrypto.Verify(sig.Algorithm, key.PublicKey, data, sig.Signature, ref key.KeyCache))
                {
                    var ttl = Math.Min(rrset.Min(r => r.Ttl), sig.OriginalTtl);
                    var until = now + TimeSpan.FromSeconds(ttl);
                    return new RrsetCheck { Valid = true, Signature = sig, ValidUntil = until < expiration ? until : expiration };
                }

                reasons.Add((8, $"signature over different data: the RRSIG over {What()} (key tag {sig.KeyTag}) does not verify with DNSKEY {key.KeyTag}"));
            }
        }

        return new RrsetCheck
        {
            OnlyUnsupported = unsupported == signatures.Count,
            Reason = reasons.OrderByDescending(r => r.Rank).First().Text,
        };
    }

    internal sealed class ByteArrayComparer : IComparer<byte[]>, IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public int Compare(byte[]? x, byte[]? y)
        {
            if (x is null || y is null)
            {
                return (x is null).CompareTo(y is null);
            }

            for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
            {
                var c = x[i].CompareTo(y[i]);
                if (c != 0)
                {
                    return c;
                }
            }

            return x.Length.CompareTo(y.Length);
        }

        public bool Equals(byte[]? x, byte[]? y) => Compare(x, y) == 0;

        public int GetHashCode(byte[] obj) => obj.Length == 0 ? 0 : (obj.Length * 31) + obj[0] + (obj[obj.Length - 1] << 8);
    }
}
