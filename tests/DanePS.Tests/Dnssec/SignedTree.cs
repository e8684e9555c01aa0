using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using DanePS.Engine.Dnssec;
using DanePS.Tests.Fixtures.Dns;

namespace DanePS.Tests.Dnssec;

/// <summary>
/// A tiny DNSSEC tree signed in memory with .NET ECDsa (P-256, algorithm 13), served by an in-process resolver
/// (<see cref="HostileDnsServer"/>): the root "." and the zone "example.", with www.example. A and TLSA, an NSEC
/// chain, and hooks to break any piece on purpose.
/// </summary>
internal sealed class SignedTree : IDisposable
{
    public static readonly DomainName Root = DomainName.Root;
    public static readonly DomainName Example = DomainName.Parse("example.");
    public static readonly DomainName Www = DomainName.Parse("www.example.");
    public static readonly DomainName WwwTlsa = DomainName.Parse("_25._tcp.www.example.");
    public static readonly DomainName Dname = DomainName.Parse("d.example.");

    /// <summary>The target written into the CNAME synthesised from the DNAME d.example. → example. (a lie when set).</summary>
    public DomainName? SynthesisedTarget { get; set; }

    private readonly ECDsa _rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _zoneKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private HostileDnsServer? _server;

    public SignedTree()
    {
        Now = DateTimeOffset.UtcNow;
        Inception = Now.AddDays(-1);
        Expiration = Now.AddDays(30);
    }

    public DateTimeOffset Now { get; }

    public DateTimeOffset Inception { get; set; }

    public DateTimeOffset Expiration { get; set; }

    /// <summary>Flags of the zone's key (257: zone key, SEP). Add 0x80 to revoke it.</summary>
    public ushort ZoneKeyFlags { get; set; } = 257;

    /// <summary>Algorithm number written into the zone's DNSKEY, DS and RRSIGs (13 unless a test lies).</summary>
    public byte ZoneAlgorithm { get; set; } = 13;

    /// <summary>Changes an RRset after it was signed (signature over different data).</summary>
    public Func<DomainName, ushort, List<WireRecord>, List<WireRecord>>? AfterSigning { get; set; }

    /// <summary>Drops the RRSIGs of the data answers (a resolver or path that strips them).</summary>
    public bool StripDataSignatures { get; set; }

    /// <summary>Drops the RRSIG of the root DNSKEY RRset (a resolver that strips DNSSEC records).</summary>
    public bool StripRootSignatures { get; set; }

    /// <summary>The signer name written into data RRSIGs (the zone unless a test lies).</summary>
    public DomainName? DataSigner { get; set; }

    /// <summary>The DS the root publishes for example. is of another key.</summary>
    public bool DsOfAnotherKey { get; set; }

    /// <summary>NSEC records for denials; replace to break them.</summary>
    public List<(DomainName Owner, DomainName Next, ushort[] Types)> Nsecs { get; } = new()
    {
        (Example, Www, new ushort[] { DnsWire.TypeNs, DnsWire.TypeSoa, DnsWire.TypeRrsig, DnsWire.TypeNsec, DnsWire.TypeDnskey }),
        (Www, WwwTlsa, new ushort[] { DnsWire.TypeA, DnsWire.TypeRrsig, DnsWire.TypeNsec }),
        (WwwTlsa, Example, new ushort[] { DnsWire.TypeTlsa, DnsWire.TypeRrsig, DnsWire.TypeNsec }),
    };

    /// <summary>Answers for wildcard tests: the owner asked is answered with records signed as from *.example.</summary>
    public DomainName? WildcardName { get; set; }

    public string Anchor => ". IN DS " + DsText(Root, Dnskey(Root, 257, 13, _rootKey));

    public IPEndPoint EndPoint => _server!.EndPoint;

    public int Queries => _server!.Queries;

    public SignedTree Start()
    {
        _server = HostileDnsServer.Start(Answer);
        return this;
    }

    public DnssecValidator Validator(string? anchor = null) =>
        new(new DnsWireClient(new[] { EndPoint }, TimeSpan.FromSeconds(2), 0), TrustAnchors.Parse(new[] { anchor ?? Anchor }));

    public void Dispose()
    {
        _server?.Dispose();
        _rootKey.Dispose();
        _zoneKey.Dispose();
    }

    public static byte[] Dnskey(ushort flags, byte algorithm, ECDsa key)
    {
        var p = key.ExportParameters(false);
        return new byte[] { (byte)(flags >> 8), (byte)flags, 3, algorithm }.Concat(p.Q.X!).Concat(p.Q.Y!).ToArray();
    }

    private static byte[] Dnskey(DomainName owner, ushort flags, byte algorithm, ECDsa key)
    {
        _ = owner;
        return Dnskey(flags, algorithm, key);
    }

    private static string DsText(DomainName owner, byte[] dnskey) =>
        $"{DnssecCrypto.KeyTag(dnskey)} {dnskey[3]} 2 {Convert.ToHexString(DnssecCrypto.DsDigest(2, owner, dnskey)!)}";

    private byte[] ZoneDnskey => Dnskey(ZoneKeyFlags, ZoneAlgorithm, _zoneKey);

    private byte[] DsRdata()
    {
        var key = DsOfAnotherKey ? Dnskey(257, ZoneAlgorithm, ECDsa.Create(ECCurve.NamedCurves.nistP256)) : ZoneDnskey;
        var tag = DnssecCrypto.KeyTag(key);
        return new byte[] { (byte)(tag >> 8), (byte)tag, ZoneAlgorithm, 2 }.Concat(DnssecCrypto.DsDigest(2, Example, key)!).ToArray();
    }

    /// <summary>An RRSIG over <paramref name="rrset"/> made with <paramref name="key"/>.</summary>
    public WireRecord Sign(List<WireRecord> rrset, DomainName signer, ECDsa key, byte[] dnskey, int? labels = null)
    {
        var owner = rrset[0].Owner;
        var tag = DnssecCrypto.KeyTag(dnskey);
        var head = new List<byte>
        {
            (byte)(rrset[0].Type >> 8), (byte)rrset[0].Type, dnskey[3], (byte)(labels ?? owner.LabelCount),
        };
        head.AddRange(U32(rrset[0].Ttl));
        head.AddRange(U32((uint)Expiration.ToUnixTimeSeconds()));
        head.AddRange(U32((uint)Inception.ToUnixTimeSeconds()));
        head.Add((byte)(tag >> 8));
        head.Add((byte)tag);
        head.AddRange(signer.ToWire());
        var unsigned = new RrsigInfo(new WireRecord(owner, DnsWire.TypeRrsig, 1, rrset[0].Ttl, head.Concat(new byte[64]).ToArray()));
        var signature = key.SignData(RrsetVerifier.SignedData(unsigned, rrset), HashAlgorithmName.SHA256);
        return new WireRecord(owner, DnsWire.TypeRrsig, 1, rrset[0].Ttl, head.Concat(signature).ToArray());
    }

    private static IEnumerable<byte> U32(uint v) => new[] { (byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v };

    private List<WireRecord> Signed(List<WireRecord> rrset, DomainName zone, int? labels = null, DomainName? signer = null)
    {
        var key = zone.IsRoot ? _rootKey : _zoneKey;
        var dnskey = zone.IsRoot ? Dnskey(257, 13, _rootKey) : ZoneDnskey;
        var sig = Sign(rrset, signer ?? zone, key, dnskey, labels);
        var after = AfterSigning?.Invoke(rrset[0].Owner, rrset[0].Type, rrset) ?? rrset;
        return after.Append(sig).ToList();
    }

    private static WireRecord Rr(DomainName owner, ushort type, byte[] rdata, uint ttl = 300) => new(owner, type, 1, ttl, rdata);

    private List<WireRecord> Nsec((DomainName Owner, DomainName Next, ushort[] Types) n)
    {
        var bitmap = new byte[32];
        var max = 0;
        foreach (var t in n.Types)
        {
            bitmap[t / 8] |= (byte)(0x80 >> (t % 8));
            max = Math.Max(max, (t / 8) + 1);
        }

        var rdata = n.Next.ToWire().Concat(new byte[] { 0, (byte)max }).Concat(bitmap.Take(max)).ToArray();
        return Signed(new List<WireRecord> { Rr(n.Owner, DnsWire.TypeNsec, rdata) }, Example);
    }

    private byte[]? Answer(DnsQuery q)
    {
        var name = DomainName.Parse(q.Name.Length == 0 ? "." : q.Name + ".");
        var answers = new List<WireRecord>();
        var authority = new List<WireRecord>();
        var rcode = 0;
        if (name.IsRoot && q.Type == DnsWire.TypeDnskey)
        {
            var signed = Signed(new List<WireRecord> { Rr(Root, DnsWire.TypeDnskey, Dnskey(257, 13, _rootKey), 3600) }, Root);
            answers.AddRange(StripRootSignatures ? signed.Where(r => r.Type != DnsWire.TypeRrsig) : signed);
        }
        else if (name.Equals(Example) && q.Type == DnsWire.TypeDs)
        {
            answers.AddRange(Signed(new List<WireRecord> { Rr(Example, DnsWire.TypeDs, DsRdata(), 3600) }, Root));
        }
        else if (name.Equals(Example) && q.Type == DnsWire.TypeDnskey)
        {
            answers.AddRange(Signed(new List<WireRecord> { Rr(Example, DnsWire.TypeDnskey, ZoneDnskey, 3600) }, Example));
        }
        else if ((name.Equals(Www) && q.Type == DnsWire.TypeA) || (WildcardName is not null && name.Equals(WildcardName) && q.Type == DnsWire.TypeA))
        {
            var labels = name.Equals(Www) ? (int?)null : 1;
            var data = Signed(new List<WireRecord> { Rr(name, DnsWire.TypeA, new byte[] { 192, 0, 2, 1 }) }, Example, labels, DataSigner);
            answers.AddRange(StripDataSignatures ? data.Where(r => r.Type != DnsWire.TypeRrsig) : data);
        }
        else if (name.Equals(WwwTlsa) && q.Type == DnsWire.TypeTlsa)
        {
            var data = Signed(new List<WireRecord> { Rr(name, DnsWire.TypeTlsa, new byte[] { 3, 1, 1 }.Concat(SHA256.HashData(new byte[] { 1 })).ToArray()) }, Example, null, DataSigner);
            answers.AddRange(StripDataSignatures ? data.Where(r => r.Type != DnsWire.TypeRrsig) : data);
        }
        else if (name.IsBelow(Dname))
        {
            var target = new DomainName(name.Labels.Take(name.LabelCount - Dname.LabelCount).Concat(Example.Labels).ToArray());
            answers.AddRange(Signed(new List<WireRecord> { Rr(Dname, DnsWire.TypeDname, Example.ToWire()) }, Example));
            answers.Add(Rr(name, DnsWire.TypeCname, (SynthesisedTarget ?? target).ToWire()));
            if (target.Equals(Www) && q.Type == DnsWire.TypeA)
            {
                answers.AddRange(Signed(new List<WireRecord> { Rr(Www, DnsWire.TypeA, new byte[] { 192, 0, 2, 1 }) }, Example));
            }
        }
        else if (name.IsAtOrBelow(Example))
        {
            // A denial: every NSEC of the zone (the validator picks what proves it).
            var exists = Nsecs.Any(n => n.Owner.Equals(name)) || name.Equals(Example);
            rcode = exists ? 0 : 3;
            foreach (var n in Nsecs)
            {
                authority.AddRange(Nsec(n));
            }
        }
        else
        {
            rcode = 5;
        }

        return Message(q, rcode, answers, authority);
    }

    private static byte[] Message(DnsQuery q, int rcode, List<WireRecord> answers, List<WireRecord> authority)
    {
        using var ms = new MemoryStream();
        ms.Write([(byte)(q.Id >> 8), (byte)q.Id, 0x81, (byte)(0x80 | rcode)]);
        ms.Write([0, 1, (byte)(answers.Count >> 8), (byte)answers.Count, (byte)(authority.Count >> 8), (byte)authority.Count, 0, 1]);
        ms.Write(q.QuestionSection);
        foreach (var r in answers.Concat(authority))
        {
            ms.Write(r.Owner.ToWire());
            ms.Write([(byte)(r.Type >> 8), (byte)r.Type, 0, 1]);
            ms.Write(U32(r.Ttl).ToArray());
            ms.Write([(byte)(r.Rdata.Length >> 8), (byte)r.Rdata.Length]);
            ms.Write(r.Rdata);
        }

        ms.Write([0, 0, 41, 0x04, 0xD0, 0, 0, 0x80, 0, 0, 0]); // OPT, DO
        return ms.ToArray();
    }
}
