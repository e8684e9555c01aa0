using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace DanePS.Engine.Dnssec;

/// <summary>A DNSKEY's fields (RFC 4034 §2).</summary>
internal sealed class DnskeyInfo
{
    public DnskeyInfo(DomainName owner, byte[] rdata)
    {
        if (rdata.Length < 5)
        {
            throw new FormatException("a DNSKEY shorter than its fixed fields");
        }

        Owner = owner;
        Rdata = rdata;
        Flags = (ushort)((rdata[0] << 8) | rdata[1]);
        Protocol = rdata[2];
        Algorithm = rdata[3];
        PublicKey = rdata.Skip(4).ToArray();
        KeyTag = DnssecCrypto.KeyTag(rdata);
    }

    public DomainName Owner { get; }

    public byte[] Rdata { get; }

    public ushort Flags { get; }

    public byte Protocol { get; }

    public byte Algorithm { get; }

    public byte[] PublicKey { get; }

    public ushort KeyTag { get; }

    /// <summary>Bit 7: a zone key, the only kind that may sign a zone's data (RFC 4034 §2.1.1).</summary>
    public bool IsZoneKey => (Flags & 0x0100) != 0;

    /// <summary>Bit 8: revoked (RFC 5011 §2.1); a revoked key validates nothing.</summary>
    public bool IsRevoked => (Flags & 0x0080) != 0;

    /// <summary>The decoded public key, kept for the next signature this key verifies (see <see cref="DnssecCrypto"/>).</summary>
    internal object? KeyCache;

    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} DNSKEY {1} (tag {2}, {3})", Owner, Flags, KeyTag, DnssecCrypto.AlgorithmName(Algorithm));
}

/// <summary>A DS record's fields (RFC 4034 §5).</summary>
internal sealed class DsInfo
{
    public DsInfo(DomainName owner, byte[] rdata)
    {
        if (rdata.Length < 5)
        {
            throw new FormatException("a DS shorter than its fixed fields");
        }

        Owner = owner;
        KeyTag = (ushort)((rdata[0] << 8) | rdata[1]);
        Algorithm = rdata[2];
        DigestType = rdata[3];
        Digest = rdata.Skip(4).ToArray();
    }

    public DsInfo(DomainName owner, ushort keyTag, byte algorithm, byte digestType, byte[] digest)
    {
        Owner = owner;
        KeyTag = keyTag;
        Algorithm = algorithm;
        DigestType = digestType;
        Digest = digest;
    }

    public DomainName Owner { get; }

    public ushort KeyTag { get; }

    public byte Algorithm { get; }

    public byte DigestType { get; }

    public byte[] Digest { get; }

    public bool Matches(DnskeyInfo key)
    {
        if (key.KeyTag != KeyTag || key.Algorithm != Algorithm)
        {
            return false;
        }

        var digest = DnssecCrypto.DsDigest(DigestType, key.Owner, key.Rdata);
        return digest is not null && digest.SequenceEqual(Digest);
    }
}

/// <summary>An RRSIG's fields (RFC 4034 §3).</summary>
internal sealed class RrsigInfo
{
    public RrsigInfo(WireRecord record)
    {
        var r = record.Rdata;
        if (r.Length < 19)
        {
            throw new FormatException("an RRSIG shorter than its fixed fields");
        }

        Record = record;
        TypeCovered = (ushort)((r[0] << 8) | r[1]);
        Algorithm = r[2];
        Labels = r[3];
        OriginalTtl = U32(r, 4);
        Expiration = U32(r, 8);
        Inception = U32(r, 12);
        KeyTag = (ushort)((r[16] << 8) | r[17]);
        var offset = 18;
        Signer = DnsWire.ReadName(r, ref offset);
        Signature = new byte[r.Length - offset];
        Buffer.BlockCopy(r, offset, Signature, 0, Signature.Length);
        var signer = Signer.ToWire(canonical: true);
        SignedFields = new byte[18 + signer.Length];
        Buffer.BlockCopy(r, 0, SignedFields, 0, 18);
        Buffer.BlockCopy(signer, 0, SignedFields, 18, signer.Length);
    }

    public WireRecord Record { get; }

    public ushort TypeCovered { get; }

    public byte Algorithm { get; }

    public byte Labels { get; }

    public uint OriginalTtl { get; }

    public uint Expiration { get; }

    public uint Inception { get; }

    public ushort KeyTag { get; }

    public DomainName Signer { get; }

    public byte[] Signature { get; }

    /// <summary>The RRSIG rdata without the signature, signer name in canonical form: the start of the signed data.</summary>
    public byte[] SignedFields { get; }

    /// <summary>Expiration as a date, read with serial-number arithmetic around <paramref name="now"/> (RFC 4034 §3.1.5).</summary>
    public DateTimeOffset ExpirationTime(DateTimeOffset now) => SerialTime(Expiration, now);

    public DateTimeOffset InceptionTime(DateTimeOffset now) => SerialTime(Inception, now);

    private static DateTimeOffset SerialTime(uint value, DateTimeOffset now)
    {
        var nowSeconds = now.ToUnixTimeSeconds();
        var delta = unchecked((int)(value - (uint)nowSeconds));
        return DateTimeOffset.FromUnixTimeSeconds(nowSeconds + delta);
    }

    private static uint U32(byte[] r, int i) => ((uint)r[i] << 24) | ((uint)r[i + 1] << 16) | ((uint)r[i + 2] << 8) | r[i + 3];
}

/// <summary>An NSEC record (RFC 4034 §4): next name and types.</summary>
internal sealed class NsecInfo
{
    public NsecInfo(WireRecord record)
    {
        Owner = record.Owner;
        var offset = 0;
        Next = DnsWire.ReadName(record.Rdata, ref offset);
        Types = DnsWire.ReadTypeBitmap(record.Rdata, offset);
    }

    public DomainName Owner { get; }

    public DomainName Next { get; }

    public HashSet<ushort> Types { get; }

    /// <summary>Whether the name falls strictly between owner and next (the last NSEC's next is the apex: it wraps).</summary>
    public bool Covers(DomainName name)
    {
        var afterOwner = Owner.CompareTo(name) < 0;
        var beforeNext = name.CompareTo(Next) < 0;
        return Owner.CompareTo(Next) < 0 ? afterOwner && beforeNext : afterOwner || beforeNext;
    }

    /// <summary>The owner is a delegation point (NS without SOA): it proves nothing below itself (RFC 6840 §4.1).</summary>
    public bool IsDelegation => Types.Contains(DnsWire.TypeNs) && !Types.Contains(DnsWire.TypeSoa);
}

/// <summary>An NSEC3 record (RFC 5155 §3).</summary>
internal sealed class Nsec3Info
{
    public Nsec3Info(WireRecord record)
    {
        var r = record.Rdata;
        if (r.Length < 6)
        {
            throw new FormatException("an NSEC3 shorter than its fixed fields");
        }

        Owner = record.Owner;
        HashAlgorithm = r[0];
        Flags = r[1];
        Iterations = (ushort)((r[2] << 8) | r[3]);
        var saltLength = r[4];
        Salt = r.Skip(5).Take(saltLength).ToArray();
        var offset = 5 + saltLength;
        if (offset >= r.Length)
        {
            throw new FormatException("an NSEC3 is cut short");
        }

        var hashLength = r[offset];
        NextHash = r.Skip(offset + 1).Take(hashLength).ToArray();
        if (NextHash.Length != hashLength)
        {
            throw new FormatException("an NSEC3 is cut short");
        }

        Types = DnsWire.ReadTypeBitmap(r, offset + 1 + hashLength);
        OwnerHash = Owner.LabelCount > 0 ? Base32Hex.Decode(Encoding.ASCII.GetString(Owner.Labels[0])) : null;
        Zone = Owner.Parent();
    }

    public DomainName Owner { get; }

    public DomainName Zone { get; }

    public byte HashAlgorithm { get; }

    public byte Flags { get; }

    public bool OptOut => (Flags & 0x01) != 0;

    public ushort Iterations { get; }

    public byte[] Salt { get; }

    public byte[] NextHash { get; }

    public byte[]? OwnerHash { get; }

    public HashSet<ushort> Types { get; }

    public bool Matches(byte[] hash) => OwnerHash is not null && OwnerHash.SequenceEqual(hash);

    public bool Covers(byte[] hash)
    {
        if (OwnerHash is null)
        {
            return false;
        }

        var afterOwner = Compare(OwnerHash, hash) < 0;
        var beforeNext = Compare(hash, NextHash) < 0;
        return Compare(OwnerHash, NextHash) < 0 ? afterOwner && beforeNext : afterOwner || beforeNext;
    }

    /// <summary>RFC 5155 §5: SHA-1 of the canonical name and salt, iterated.</summary>
    public static byte[] Hash(DomainName name, byte[] salt, int iterations)
    {
#pragma warning disable CA5350 // NSEC3 hashes are SHA-1 by definition (RFC 5155 §5); not a security choice of DanePS.
        using var sha1 = SHA1.Create();
#pragma warning restore CA5350
        var x = sha1.ComputeHash(name.ToWire(canonical: true).Concat(salt).ToArray());
        for (var i = 0; i < iterations; i++)
        {
            x = sha1.ComputeHash(x.Concat(salt).ToArray());
        }

        return x;
    }

    private static int Compare(byte[] a, byte[] b)
    {
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var c = a[i].CompareTo(b[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return a.Length.CompareTo(b.Length);
    }
}

/// <summary>Base32 with the extended hex alphabet (RFC 4648 §7), as NSEC3 owner names spell hashes.</summary>
internal static class Base32Hex
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUV";

    public static string Encode(byte[] data)
    {
        var text = new StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                text.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            text.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return text.ToString();
    }

    public static byte[]? Decode(string text)
    {
        using var ms = new MemoryStream();
        int buffer = 0, bits = 0;
        foreach (var c in text.ToUpperInvariant())
        {
            var v = Alphabet.IndexOf(c);
            if (v < 0)
            {
                return null;
            }

            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8)
            {
                ms.WriteByte((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        return ms.ToArray();
    }
}
