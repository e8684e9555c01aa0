using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using DanePS.Engine.Tlsa;

namespace DanePS.Engine.Providers.Rfc2136;

/// <summary>
/// The wire form of an RFC 2136 UPDATE with a TSIG (RFC 8945), and the check of the server's signed answer.
/// Written here because DnsClient (the resolver library the engine uses) only builds and parses queries: it has no
/// UPDATE opcode, no update sections and no TSIG. The code handles exactly what this provider sends (add or delete
/// single TLSA RRs, no prerequisites) and reads answers with a size limit and a bound on name compression.
/// </summary>
internal static class DnsUpdateMessage
{
    public const int MaxMessageSize = 65535;
    public const int TsigType = 250;
    private const int TlsaType = 52;
    private const int SoaType = 6;
    private const ushort ClassIn = 1;
    private const ushort ClassNone = 254;
    private const ushort ClassAny = 255;
    private const int MaxPointerHops = 64;

    /// <summary>One change: add (with a TTL) or delete a single TLSA RR.</summary>
    public sealed class Change
    {
        public Change(string ownerName, TlsaRecord record, bool add, int ttl)
        {
            OwnerName = ownerName;
            Record = record;
            Add = add;
            Ttl = ttl;
        }

        public string OwnerName { get; }

        public TlsaRecord Record { get; }

        public bool Add { get; }

        public int Ttl { get; }
    }

    /// <summary>A signed request: the bytes to send and what verifying its answer needs.</summary>
    public sealed class SignedRequest
    {
        public SignedRequest(byte[] message, ushort id, byte[] mac)
        {
            Message = message;
            Id = id;
            Mac = mac;
        }

        public byte[] Message { get; }

        public ushort Id { get; }

        public byte[] Mac { get; }
    }

    /// <summary>What the server answered.</summary>
    public sealed class Answer
    {
        public int ResponseCode { get; set; }

        public bool Truncated { get; set; }

        public bool HasTsig { get; set; }

        public int TsigError { get; set; }

        public bool TsigVerified { get; set; }

        public string? TsigProblem { get; set; }
    }

    public static SignedRequest Build(string zone, IReadOnlyList<Change> changes, TsigKey key, DateTimeOffset now, TimeSpan fudge)
    {
        var id = NewId();
        var w = new List<byte>(512);
        WriteUInt16(w, id);
        WriteUInt16(w, 5 << 11); // QR=0, OPCODE=UPDATE
        WriteUInt16(w, 1); // ZOCOUNT
        WriteUInt16(w, 0); // PRCOUNT: prerequisite-free
        WriteUInt16(w, (ushort)changes.Count); // UPCOUNT
        WriteUInt16(w, 0); // ADCOUNT (the TSIG is added after the MAC is computed)
        WriteName(w, zone, canonical: false);
        WriteUInt16(w, SoaType);
        WriteUInt16(w, ClassIn);
        foreach (var change in changes)
        {
            WriteName(w, change.OwnerName, canonical: false);
            WriteUInt16(w, TlsaType);
            WriteUInt16(w, change.Add ? ClassIn : ClassNone); // RFC 2136 §2.5.4: class NONE deletes an RR from an RRset
            WriteUInt32(w, change.Add ? (uint)Math.Max(0, change.Ttl) : 0u);
            var data = change.Record.DataNoCopy;
            WriteUInt16(w, (ushort)(3 + data.Length));
            w.Add((byte)change.Record.Usage);
            w.Add((byte)change.Record.Selector);
            w.Add((byte)change.Record.MatchingType);
            w.AddRange(data);
        }

        var timeSigned = (ulong)now.ToUnixTimeSeconds();
        var fudgeSeconds = (ushort)Math.Min(ushort.MaxValue, Math.Max(0, fudge.TotalSeconds));
        byte[] mac;
        using (var hmac = key.CreateHmac())
        {
            var input = new List<byte>(w);
            AppendTsigVariables(input, key, timeSigned, fudgeSeconds, 0, Array.Empty<byte>());
            mac = hmac.ComputeHash(input.ToArray());
        }

        AppendTsigRecord(w, key, timeSigned, fudgeSeconds, mac, id);
        w[10] = 0;
        w[11] = 1; // ADCOUNT = 1
        if (w.Count > MaxMessageSize)
        {
            throw new ArgumentException($"The update is {w.Count} bytes, more than a DNS message can hold ({MaxMessageSize}); send fewer records at once.", nameof(changes));
        }

        return new SignedRequest(w.ToArray(), id, mac);
    }

    /// <summary>Reads the answer to <paramref name="request"/>: its RCODE, TC bit, and whether its TSIG verifies (RFC 8945 §5.3).</summary>
    public static Answer Read(byte[] response, SignedRequest request, TsigKey key, DateTimeOffset now, TimeSpan fudge)
    {
        if (response.Length < 12)
        {
            throw new FormatException($"The answer is {response.Length} bytes, shorter than a DNS header.");
        }

        if (response.Length > MaxMessageSize)
        {
            throw new FormatException("The answer is longer than a DNS message can be.");
        }

        var id = ReadUInt16(response, 0);
        if (id != request.Id)
        {
            throw new FormatException($"The answer's id {id} is not the request's {request.Id}.");
        }

        var flags = ReadUInt16(response, 2);
        if ((flags & 0x8000) == 0 || ((flags >> 11) & 0xF) != 5)
        {
            throw new FormatException("The answer is not a response to an UPDATE.");
        }

        var answer = new Answer { ResponseCode = flags & 0xF, Truncated = (flags & 0x0200) != 0 };
        var counts = new[] { ReadUInt16(response, 4), ReadUInt16(response, 6), ReadUInt16(response, 8), ReadUInt16(response, 10) };
        var at = 12;
        for (var i = 0; i < counts[0]; i++)
        {
            SkipName(response, ref at);
            at += 4;
        }

        var records = counts[1] + counts[2] + counts[3];
        for (var i = 0; i < records; i++)
        {
            var start = at;
            SkipName(response, ref at);
            Need(response, at, 10);
            var type = ReadUInt16(response, at);
            var rdLength = ReadUInt16(response, at + 8);
            var rdata = at + 10;
            Need(response, rdata, rdLength);
            at = rdata + rdLength;
            if (type == TsigType && i == records - 1)
            {
                answer.HasTsig = true;
                VerifyTsig(response, start, rdata, rdLength, request, key, now, fudge, answer);
            }
        }

        if (at > response.Length)
        {
            throw new FormatException("The answer ends inside a record.");
        }

        return answer;
    }

    private static void VerifyTsig(byte[] response, int tsigStart, int rdata, int rdLength, SignedRequest request, TsigKey key, DateTimeOffset now, TimeSpan fudge, Answer answer)
    {
        var nameAt = tsigStart;
        var keyName = ReadName(response, ref nameAt);
        var at = rdata;
        var algorithm = ReadName(response, ref at);
        Need(response, at, 10);
        var timeSigned = ((ulong)ReadUInt16(response, at) << 32) | ((ulong)ReadUInt16(response, at + 2) << 16) | ReadUInt16(response, at + 4);
        var fudgeSeconds = ReadUInt16(response, at + 6);
        var macSize = ReadUInt16(response, at + 8);
        at += 10;
        Need(response, at, macSize + 6);
        var mac = new byte[macSize];
        Array.Copy(response, at, mac, 0, macSize);
        at += macSize;
        var originalId = ReadUInt16(response, at);
        answer.TsigError = ReadUInt16(response, at + 2);
        var otherLength = ReadUInt16(response, at + 4);
        at += 6;
        Need(response, at, otherLength);
        var other = new byte[otherLength];
        Array.Copy(response, at, other, 0, otherLength);
        if (at + otherLength != rdata + rdLength)
        {
            throw new FormatException("The answer's TSIG record has a wrong length.");
        }

        if (!string.Equals(keyName.TrimEnd('.'), key.Name, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(algorithm.TrimEnd('.'), key.Algorithm, StringComparison.OrdinalIgnoreCase))
        {
            answer.TsigProblem = $"the answer is signed with key '{keyName}' ({algorithm}), not '{key.Name}' ({key.Algorithm})";
            return;
        }

        if (answer.TsigError != 0 || macSize == 0)
        {
            answer.TsigProblem = $"the server reports TSIG error {TsigErrorName(answer.TsigError)}";
            return;
        }

        // RFC 8945 §5.3.2: request MAC (with its length), the answer without its TSIG and with the original id, and
        // the answer's TSIG variables.
        var input = new List<byte>(response.Length + 64);
        WriteUInt16(input, (ushort)request.Mac.Length);
        input.AddRange(request.Mac);
        var body = new byte[tsigStart];
        Array.Copy(response, body, tsigStart);
        body[0] = (byte)(originalId >> 8);
        body[1] = (byte)originalId;
        var additional = ReadUInt16(body, 10) - 1;
        body[10] = (byte)(additional >> 8);
        body[11] = (byte)additional;
        input.AddRange(body);
        AppendTsigVariables(input, key, timeSigned, fudgeSeconds, answer.TsigError, other);
        byte[] expected;
        using (var hmac = key.CreateHmac())
        {
            expected = hmac.ComputeHash(input.ToArray());
        }

        if (mac.Length < 10 || mac.Length > expected.Length || !FixedTimeEquals(expected, mac))
        {
            answer.TsigProblem = "the answer's TSIG MAC does not verify with the key";
            return;
        }

        var skew = Math.Abs((double)timeSigned - now.ToUnixTimeSeconds());
        if (skew > Math.Max(fudgeSeconds, fudge.TotalSeconds))
        {
            answer.TsigProblem = $"the answer was signed {skew:0} s away from this machine's clock (BADTIME)";
            return;
        }

        answer.TsigVerified = true;
    }

    public static string TsigErrorName(int error) => error switch
    {
        16 => "BADSIG",
        17 => "BADKEY",
        18 => "BADTIME",
        22 => "BADTRUNC",
        _ => error.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static string ResponseCodeName(int rcode) => rcode switch
    {
        0 => "NOERROR",
        1 => "FORMERR",
        2 => "SERVFAIL",
        3 => "NXDOMAIN",
        4 => "NOTIMP",
        5 => "REFUSED",
        6 => "YXDOMAIN",
        7 => "YXRRSET",
        8 => "NXRRSET",
        9 => "NOTAUTH",
        10 => "NOTZONE",
        _ => rcode.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static bool FixedTimeEquals(byte[] expected, byte[] actual)
    {
        // A truncated MAC (RFC 8945 §5.2.2.1) compares its leading bytes.
        var difference = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            difference |= expected[i] ^ actual[i];
        }

        return difference == 0 && actual.Length == expected.Length;
    }

    private static void AppendTsigVariables(List<byte> w, TsigKey key, ulong timeSigned, ushort fudge, int error, byte[] other)
    {
        WriteName(w, key.Name, canonical: true);
        WriteUInt16(w, ClassAny);
        WriteUInt32(w, 0);
        WriteName(w, key.Algorithm, canonical: true);
        WriteUInt48(w, timeSigned);
        WriteUInt16(w, fudge);
        WriteUInt16(w, (ushort)error);
        WriteUInt16(w, (ushort)other.Length);
        w.AddRange(other);
    }

    private static void AppendTsigRecord(List<byte> w, TsigKey key, ulong timeSigned, ushort fudge, byte[] mac, ushort id)
    {
        WriteName(w, key.Name, canonical: true);
        WriteUInt16(w, TsigType);
        WriteUInt16(w, ClassAny);
        WriteUInt32(w, 0);
        var rdata = new List<byte>();
        WriteName(rdata, key.Algorithm, canonical: true);
        WriteUInt48(rdata, timeSigned);
        WriteUInt16(rdata, fudge);
        WriteUInt16(rdata, (ushort)mac.Length);
        rdata.AddRange(mac);
        WriteUInt16(rdata, id);
        WriteUInt16(rdata, 0); // error
        WriteUInt16(rdata, 0); // other length
        WriteUInt16(w, (ushort)rdata.Count);
        w.AddRange(rdata);
    }

    internal static void WriteName(List<byte> w, string name, bool canonical)
    {
        var trimmed = name.Trim().TrimEnd('.');
        if (trimmed.Length > 0)
        {
            foreach (var label in trimmed.Split('.'))
            {
#pragma warning disable CA1308 // The canonical form of a DNS name is lower case (RFC 4034 §6.2).
                var bytes = Encoding.ASCII.GetBytes(canonical ? label.ToLowerInvariant() : label);
#pragma warning restore CA1308
                if (bytes.Length is 0 or > 63)
                {
                    throw new ArgumentException($"'{name}' has a label that is empty or longer than 63 bytes.", nameof(name));
                }

                w.Add((byte)bytes.Length);
                w.AddRange(bytes);
            }
        }

        w.Add(0);
    }

    internal static string ReadName(byte[] m, ref int at)
    {
        var labels = new List<string>();
        var position = at;
        var jumped = false;
        var hops = 0;
        while (true)
        {
            Need(m, position, 1);
            var length = m[position];
            if (length == 0)
            {
                position++;
                break;
            }

            if ((length & 0xC0) == 0xC0)
            {
                Need(m, position, 2);
                if (++hops > MaxPointerHops)
                {
                    throw new FormatException("A name in the answer loops through compression pointers.");
                }

                var target = ((length & 0x3F) << 8) | m[position + 1];
                if (!jumped)
                {
                    at = position + 2;
                    jumped = true;
                }

                position = target;
                continue;
            }

            if ((length & 0xC0) != 0)
            {
                throw new FormatException("A name in the answer has an unknown label type.");
            }

            Need(m, position + 1, length);
            labels.Add(Encoding.ASCII.GetString(m, position + 1, length));
            position += 1 + length;
            if (labels.Count > 127)
            {
                throw new FormatException("A name in the answer is too long.");
            }
        }

        if (!jumped)
        {
            at = position;
        }

        return string.Join(".", labels) + ".";
    }

    private static void SkipName(byte[] m, ref int at) => ReadName(m, ref at);

    private static void Need(byte[] m, int at, int count)
    {
        if (at < 0 || count < 0 || at + count > m.Length)
        {
            throw new FormatException("The answer ends too early.");
        }
    }

    internal static ushort ReadUInt16(byte[] m, int at)
    {
        Need(m, at, 2);
        return (ushort)((m[at] << 8) | m[at + 1]);
    }

    private static void WriteUInt16(List<byte> w, ushort value)
    {
        w.Add((byte)(value >> 8));
        w.Add((byte)value);
    }

    private static void WriteUInt16(List<byte> w, int value) => WriteUInt16(w, (ushort)value);

    private static void WriteUInt32(List<byte> w, uint value)
    {
        w.Add((byte)(value >> 24));
        w.Add((byte)(value >> 16));
        w.Add((byte)(value >> 8));
        w.Add((byte)value);
    }

    private static void WriteUInt48(List<byte> w, ulong value)
    {
        for (var shift = 40; shift >= 0; shift -= 8)
        {
            w.Add((byte)(value >> shift));
        }
    }

    private static ushort NewId()
    {
        var bytes = new byte[2];
        using (var rng = RandomNumberGenerator.Create())
        {
            rng.GetBytes(bytes);
        }

        return (ushort)((bytes[0] << 8) | bytes[1]);
    }
}
