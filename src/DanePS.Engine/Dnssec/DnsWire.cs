using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace DanePS.Engine.Dnssec;

/// <summary>
/// DanePS's own small DNS wire codec, for what DnsClient 1.8 cannot do: it cannot set the CD (checking disabled) bit
/// on a query, and its parsed records do not give the rdata bytes in the form DNSSEC signs (embedded names
/// decompressed, in their original case). Local validation needs both: the resolver must hand over bogus data as it
/// is (CD), and each RRset must be rebuilt byte for byte in canonical form to check its RRSIG. The RFC 1035 format
/// is small; this is its reader and a query writer, nothing more.
/// </summary>
internal static class DnsWire
{
    public const ushort TypeA = 1;
    public const ushort TypeNs = 2;
    public const ushort TypeCname = 5;
    public const ushort TypeSoa = 6;
    public const ushort TypePtr = 12;
    public const ushort TypeMx = 15;
    public const ushort TypeAaaa = 28;
    public const ushort TypeSrv = 33;
    public const ushort TypeDname = 39;
    public const ushort TypeOpt = 41;
    public const ushort TypeDs = 43;
    public const ushort TypeRrsig = 46;
    public const ushort TypeNsec = 47;
    public const ushort TypeDnskey = 48;
    public const ushort TypeNsec3 = 50;
    public const ushort TypeNsec3Param = 51;
    public const ushort TypeTlsa = 52;
    public const ushort TypeTxt = 16;

    /// <summary>EDNS payload offered: 1232 avoids IP fragmentation (DNS Flag Day 2020).</summary>
    public const ushort Payload = 1232;

    /// <summary>A query with RD and CD set and an OPT record with the DO bit (payload 1232).</summary>
    public static byte[] BuildQuery(ushort id, DomainName name, ushort type, bool checkingDisabled = true)
    {
        using var ms = new MemoryStream();
        ms.WriteByte((byte)(id >> 8));
        ms.WriteByte((byte)id);
        ms.WriteByte(0x01); // RD
        ms.WriteByte(checkingDisabled ? (byte)0x10 : (byte)0x00); // CD
        ms.Write(new byte[] { 0, 1, 0, 0, 0, 0, 0, 1 }, 0, 8); // QD=1, AN=0, NS=0, AR=1 (OPT)
        var wire = name.ToWire();
        ms.Write(wire, 0, wire.Length);
        ms.WriteByte((byte)(type >> 8));
        ms.WriteByte((byte)type);
        ms.Write(new byte[] { 0, 1 }, 0, 2); // class IN

        // OPT: root name, type 41, payload, extended rcode 0, version 0, DO bit set, no options.
        ms.Write(new byte[] { 0, 0, (byte)TypeOpt, Payload >> 8, Payload & 0xFF, 0, 0, 0x80, 0, 0, 0 }, 0, 11);
        return ms.ToArray();
    }

    /// <summary>Parses a whole message; throws <see cref="FormatException"/> when it is not one.</summary>
    public static DnsWireMessage Parse(byte[] message)
    {
        if (message.Length < 12)
        {
            throw new FormatException("shorter than a DNS header");
        }

        var reader = new Reader(message);
        var id = reader.U16();
        var flags = reader.U16();
        var qd = reader.U16();
        var an = reader.U16();
        var ns = reader.U16();
        var ar = reader.U16();
        var questions = new List<(DomainName Name, ushort Type, ushort Class)>();
        for (var i = 0; i < qd; i++)
        {
            questions.Add((reader.Name(), reader.U16(), reader.U16()));
        }

        var answers = ReadSection(reader, an);
        var authority = ReadSection(reader, ns);
        var additional = ReadSection(reader, ar);
        var opt = additional.FirstOrDefault(r => r.Type == TypeOpt);
        var rcode = (flags & 0x0F) | (opt is null ? 0 : (int)((opt.Ttl >> 24) << 4));
        return new DnsWireMessage(id, flags, rcode, questions, answers, authority, additional.Where(r => r.Type != TypeOpt).ToList(), opt);
    }

    private static List<WireRecord> ReadSection(Reader reader, int count)
    {
        var records = new List<WireRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var owner = reader.Name();
            var type = reader.U16();
            var cls = reader.U16();
            var ttl = reader.U32();
            var length = reader.U16();
            var end = reader.Position + length;
            if (end > reader.Length)
            {
                throw new FormatException($"a {type} record's rdata runs past the end of the message");
            }

            var rdata = ReadRdata(reader, type, end);
            reader.Position = end;
            records.Add(new WireRecord(owner, type, cls, ttl, rdata));
        }

        return records;
    }

    /// <summary>The rdata, with the names of the types that may compress them written out in full.</summary>
    private static byte[] ReadRdata(Reader reader, ushort type, int end)
    {
        int fixedBefore;
        int names;
        switch (type)
        {
            case TypeNs or TypeCname or TypePtr or TypeDname:
                fixedBefore = 0;
                names = 1;
                break;
            case TypeMx:
                fixedBefore = 2;
                names = 1;
                break;
            case TypeSrv:
                fixedBefore = 6;
                names = 1;
                break;
            case TypeSoa:
                fixedBefore = 0;
                names = 2;
                break;
            case TypeRrsig:
                fixedBefore = 18;
                names = 1;
                break;
            case TypeNsec:
                fixedBefore = 0;
                names = 1;
                break;
            default:
                return reader.Bytes(end - reader.Position);
        }

        using var ms = new MemoryStream();
        var head = reader.Bytes(fixedBefore);
        ms.Write(head, 0, head.Length);
        for (var i = 0; i < names; i++)
        {
            var wire = reader.Name().ToWire();
            ms.Write(wire, 0, wire.Length);
        }

        if (reader.Position > end)
        {
            throw new FormatException($"a {type} record's names run past its rdata");
        }

        var rest = reader.Bytes(end - reader.Position);
        ms.Write(rest, 0, rest.Length);
        return ms.ToArray();
    }

    /// <summary>Reads a name at <paramref name="offset"/> of uncompressed data (rdata as kept); returns the offset after it.</summary>
    public static DomainName ReadName(byte[] data, ref int offset)
    {
        var labels = new List<byte[]>();
        while (true)
        {
            if (offset >= data.Length)
            {
                throw new FormatException("a name runs past the end of its data");
            }

            var length = data[offset++];
            if (length == 0)
            {
                return new DomainName(labels);
            }

            if (length > 63 || offset + length > data.Length)
            {
                throw new FormatException("a name has a bad label length");
            }

            var label = new byte[length];
            Buffer.BlockCopy(data, offset, label, 0, length);
            labels.Add(label);
            offset += length;
        }
    }

    /// <summary>The types listed in an NSEC/NSEC3 type bit map (RFC 4034 §4.1.2).</summary>
    public static HashSet<ushort> ReadTypeBitmap(byte[] data, int offset)
    {
        var types = new HashSet<ushort>();
        while (offset < data.Length)
        {
            if (offset + 2 > data.Length)
            {
                throw new FormatException("a type bit map is cut short");
            }

            var window = data[offset];
            var length = data[offset + 1];
            offset += 2;
            if (length is 0 or > 32 || offset + length > data.Length)
            {
                throw new FormatException("a type bit map has a bad length");
            }

            for (var i = 0; i < length; i++)
            {
                for (var bit = 0; bit < 8; bit++)
                {
                    if ((data[offset + i] & (0x80 >> bit)) != 0)
                    {
                        types.Add((ushort)((window << 8) | (i * 8) + bit));
                    }
                }
            }

            offset += length;
        }

        return types;
    }

    private sealed class Reader
    {
        private readonly byte[] _data;

        public Reader(byte[] data)
        {
            _data = data;
        }

        public int Position { get; set; }

        public int Length => _data.Length;

        public ushort U16()
        {
            Need(2);
            var v = (ushort)((_data[Position] << 8) | _data[Position + 1]);
            Position += 2;
            return v;
        }

        public uint U32()
        {
            Need(4);
            var v = ((uint)_data[Position] << 24) | ((uint)_data[Position + 1] << 16) | ((uint)_data[Position + 2] << 8) | _data[Position + 3];
            Position += 4;
            return v;
        }

        public byte[] Bytes(int count)
        {
            if (count < 0)
            {
                throw new FormatException("a length runs backwards");
            }

            Need(count);
            var b = new byte[count];
            Buffer.BlockCopy(_data, Position, b, 0, count);
            Position += count;
            return b;
        }

        /// <summary>A possibly compressed name (RFC 1035 §4.1.4); pointers only go backwards, so loops end.</summary>
        public DomainName Name()
        {
            var labels = new List<byte[]>();
            var position = Position;
            var jumped = false;
            var total = 1;
            while (true)
            {
                if (position >= _data.Length)
                {
                    throw new FormatException("a name runs past the end of the message");
                }

                var length = _data[position];
                if ((length & 0xC0) == 0xC0)
                {
                    if (position + 1 >= _data.Length)
                    {
                        throw new FormatException("a compression pointer is cut short");
                    }

                    var target = ((length & 0x3F) << 8) | _data[position + 1];
                    if (target >= position)
                    {
                        throw new FormatException("a compression pointer points forward");
                    }

                    if (!jumped)
                    {
                        Position = position + 2;
                        jumped = true;
                    }

                    position = target;
                    continue;
                }

                if ((length & 0xC0) != 0)
                {
                    throw new FormatException("a label has an unknown type");
                }

                position++;
                if (length == 0)
                {
                    break;
                }

                if (position + length > _data.Length)
                {
                    throw new FormatException("a label runs past the end of the message");
                }

                total += length + 1;
                if (total > 255)
                {
                    throw new FormatException("a name is longer than 255 bytes");
                }

                var label = new byte[length];
                Buffer.BlockCopy(_data, position, label, 0, length);
                labels.Add(label);
                position += length;
            }

            if (!jumped)
            {
                Position = position;
            }

            return new DomainName(labels);
        }

        private void Need(int count)
        {
            if (Position + count > _data.Length)
            {
                throw new FormatException("the message ends early");
            }
        }
    }
}

/// <summary>One resource record as on the wire: rdata with embedded names written out in full, original case.</summary>
internal sealed class WireRecord
{
    public WireRecord(DomainName owner, ushort type, ushort @class, uint ttl, byte[] rdata)
    {
        Owner = owner;
        Type = type;
        Class = @class;
        Ttl = ttl;
        Rdata = rdata;
    }

    public DomainName Owner { get; }

    public ushort Type { get; }

    public ushort Class { get; }

    public uint Ttl { get; }

    public byte[] Rdata { get; }

    /// <summary>For an RRSIG: the type it covers.</summary>
    public ushort CoveredType => (ushort)((Rdata[0] << 8) | Rdata[1]);

    /// <summary>
    /// The rdata in canonical form (RFC 4034 §6.2, as amended by RFC 6840 §5.1): the names in the rdata of NS,
    /// CNAME, SOA, PTR, MX, SRV, DNAME lower-cased; NSEC's next name kept as it is.
    /// </summary>
    public byte[] CanonicalRdata()
    {
        int start;
        int end;
        switch (Type)
        {
            case DnsWire.TypeNs or DnsWire.TypeCname or DnsWire.TypePtr or DnsWire.TypeDname:
                (start, end) = (0, Rdata.Length);
                break;
            case DnsWire.TypeMx:
                (start, end) = (2, Rdata.Length);
                break;
            case DnsWire.TypeSrv:
                (start, end) = (6, Rdata.Length);
                break;
            case DnsWire.TypeSoa:
                (start, end) = (0, Rdata.Length - 20);
                break;
            default:
                return Rdata;
        }

        var copy = (byte[])Rdata.Clone();
        for (var i = start; i < end && i < copy.Length; i++)
        {
            copy[i] = DomainName.Lower(copy[i]);
        }

        return copy;
    }

    /// <summary>The single name in the rdata of CNAME, DNAME, NS, PTR.</summary>
    public DomainName TargetName()
    {
        var offset = Type switch { DnsWire.TypeMx => 2, DnsWire.TypeSrv => 6, _ => 0 };
        return DnsWire.ReadName(Rdata, ref offset);
    }

    public override string ToString() => $"{Owner} {Ttl} {Type} ({Rdata.Length} bytes)";
}

/// <summary>A parsed DNS message.</summary>
internal sealed class DnsWireMessage
{
    public DnsWireMessage(ushort id, ushort flags, int rcode, List<(DomainName Name, ushort Type, ushort Class)> questions, List<WireRecord> answers, List<WireRecord> authority, List<WireRecord> additional, WireRecord? opt)
    {
        Id = id;
        Flags = flags;
        Rcode = rcode;
        Questions = questions;
        Answers = answers;
        Authority = authority;
        Additional = additional;
        Opt = opt;
    }

    public ushort Id { get; }

    public ushort Flags { get; }

    public bool IsResponse => (Flags & 0x8000) != 0;

    public bool Truncated => (Flags & 0x0200) != 0;

    public bool AuthenticData => (Flags & 0x0020) != 0;

    public bool RecursionAvailable => (Flags & 0x0080) != 0;

    public bool CheckingDisabled => (Flags & 0x0010) != 0;

    /// <summary>Response code, extended with the OPT record's upper bits.</summary>
    public int Rcode { get; }

    public List<(DomainName Name, ushort Type, ushort Class)> Questions { get; }

    public List<WireRecord> Answers { get; }

    public List<WireRecord> Authority { get; }

    public List<WireRecord> Additional { get; }

    public WireRecord? Opt { get; }

    /// <summary>Whether the resolver echoed DO in its OPT record (it speaks DNSSEC).</summary>
    public bool DnssecOk => Opt is not null && (Opt.Ttl & 0x8000) != 0;
}
