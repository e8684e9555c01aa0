using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS.Tests.Fixtures.Dns;

/// <summary>How <see cref="HostileDnsServer"/> answers TLSA questions (everything else it answers plausibly).</summary>
public enum HostileDnsAnswer
{
    /// <summary>A TLSA record whose rdata is 2 bytes (usage and selector, no matching type, no data).</summary>
    TlsaRdataTwoBytes,

    /// <summary>A TLSA record whose rdlength runs past the end of the message.</summary>
    RdlengthPastEnd,

    /// <summary>The message id, then 120 bytes of (seeded, so repeatable) random junk.</summary>
    RandomBytes,

    /// <summary>A well-formed answer with another message id.</summary>
    WrongMessageId,

    /// <summary>A well-formed answer, AD set, to a question about another name.</summary>
    OtherQuestion,

    /// <summary>NOERROR, AD set, and an A record in the answer section of a TLSA question.</summary>
    ARecordForTlsa,

    /// <summary>
    /// A resolver that does not validate (no AD on the root DNSKEY probe) yet sets AD on an empty TLSA answer,
    /// which would read as a secure denial if the AD bit were believed.
    /// </summary>
    AdWithoutValidation,
}

/// <summary>A DNS question as the server received it, and a way to write a response to it.</summary>
public sealed class DnsQuery
{
    private DnsQuery(ushort id, string name, ushort type, byte[] questionSection)
    {
        Id = id;
        Name = name;
        Type = type;
        QuestionSection = questionSection;
    }

    public const ushort A = 1;
    public const ushort Aaaa = 28;
    public const ushort Mx = 15;
    public const ushort Dnskey = 48;
    public const ushort Tlsa = 52;

    public ushort Id { get; }

    /// <summary>The name asked, lower case, without the trailing dot ("" for the root).</summary>
    public string Name { get; }

    public ushort Type { get; }

    /// <summary>The question section exactly as sent (name, type, class).</summary>
    public byte[] QuestionSection { get; }

    public static DnsQuery? Parse(byte[] message)
    {
        if (message.Length < 17 || ((message[4] << 8) | message[5]) != 1)
        {
            return null;
        }

        var labels = new List<string>();
        var i = 12;
        while (i < message.Length && message[i] != 0)
        {
            var length = message[i];
            if (length > 63 || i + 1 + length > message.Length)
            {
                return null;
            }

            labels.Add(Encoding.ASCII.GetString(message, i + 1, length).ToLowerInvariant());
            i += 1 + length;
        }

        if (i + 5 > message.Length)
        {
            return null;
        }

        var type = (ushort)((message[i + 1] << 8) | message[i + 2]);
        return new DnsQuery((ushort)((message[0] << 8) | message[1]), string.Join(".", labels), type, message[12..(i + 5)]);
    }

    /// <summary>A response: QR, RD, RA, the AD bit as asked, the question echoed, and the given answer records.</summary>
    public byte[] Respond(int rcode = 0, bool authenticData = true, params DnsRecord[] answers) =>
        Respond(Id, QuestionSection, rcode, authenticData, answers);

    /// <summary>A response with any id and question section, for answers that belong to another query.</summary>
    public static byte[] Respond(ushort id, byte[] questionSection, int rcode, bool authenticData, params DnsRecord[] answers)
    {
        using var ms = new MemoryStream();
        ms.Write([(byte)(id >> 8), (byte)id, 0x81, (byte)(0x80 | (authenticData ? 0x20 : 0) | (rcode & 0x0F))]);
        ms.Write([0, 1, (byte)(answers.Length >> 8), (byte)answers.Length, 0, 0, 0, 0]);
        ms.Write(questionSection);
        foreach (var r in answers)
        {
            ms.Write(EncodeName(r.Name));
            ms.Write([(byte)(r.Type >> 8), (byte)r.Type, 0, 1, 0, 0, (byte)(r.Ttl >> 8), (byte)r.Ttl]);
            var length = r.RdLength ?? r.Data.Length;
            ms.Write([(byte)(length >> 8), (byte)length]);
            ms.Write(r.Data);
        }

        return ms.ToArray();
    }

    /// <summary>The question section for another name and type.</summary>
    public static byte[] Question(string name, ushort type) =>
        [.. EncodeName(name), (byte)(type >> 8), (byte)type, 0, 1];

    public static byte[] EncodeName(string name)
    {
        var bytes = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }

        bytes.Add(0);
        return [.. bytes];
    }
}

/// <summary>One resource record to put in an answer; <see cref="RdLength"/> overrides the rdata length written.</summary>
public sealed record DnsRecord(string Name, ushort Type, byte[] Data, int Ttl = 300, int? RdLength = null);

/// <summary>
/// A "resolver" in the test process that answers as a hostile or broken one would, over UDP and TCP on the same
/// port: every answer comes from a function of the query (<see cref="Start(Func{DnsQuery, byte[]?}, IPAddress?)"/>),
/// or from one of the scripted <see cref="HostileDnsAnswer"/> behaviours. A null answer is no answer.
/// In process, no root needed: 127.0.0.1 on a free port.
/// </summary>
public sealed class HostileDnsServer : IDisposable
{
    private readonly Socket udp;
    private readonly TcpListener tcp;
    private readonly Func<DnsQuery, byte[]?> answer;
    private readonly TimeSpan delay;
    private readonly CancellationTokenSource stopping = new();
    private int queries;

    private HostileDnsServer(Socket udp, TcpListener tcp, Func<DnsQuery, byte[]?> answer, TimeSpan delay)
    {
        this.udp = udp;
        this.tcp = tcp;
        this.answer = answer;
        this.delay = delay;
        EndPoint = (IPEndPoint)udp.LocalEndPoint!;
        _ = ServeUdpAsync();
        _ = ServeTcpAsync();
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>The -Server value for this server.</summary>
    public string Address => $"{EndPoint.Address}:{EndPoint.Port}";

    /// <summary>How many well-formed questions arrived, over UDP and TCP.</summary>
    public int Queries => Volatile.Read(ref queries);

    /// <summary>Answers TLSA questions as <paramref name="behavior"/> says, and the rest plausibly (see <see cref="Plausible"/>).</summary>
    public static HostileDnsServer Start(HostileDnsAnswer behavior) => Start(q => q.Type == DnsQuery.Tlsa ? Hostile(q, behavior) : Plausible(q, validating: behavior != HostileDnsAnswer.AdWithoutValidation));

    /// <summary>
    /// Answers every query with <paramref name="answer"/>, each <paramref name="delay"/> after it arrived (queries
    /// that arrive together are answered together, as a resolver working on them in parallel would).
    /// </summary>
    public static HostileDnsServer Start(Func<DnsQuery, byte[]?> answer, IPAddress? address = null, TimeSpan? delay = null)
    {
        address ??= IPAddress.Loopback;
        for (var attempt = 0; ; attempt++)
        {
            var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(address, 0));
                var tcp = new TcpListener(address, ((IPEndPoint)udp.LocalEndPoint!).Port);
                tcp.Start();
                return new HostileDnsServer(udp, tcp, answer, delay ?? TimeSpan.Zero);
            }
            catch (SocketException) when (attempt < 20)
            {
                udp.Dispose(); // the UDP port's TCP twin was taken
            }
        }
    }

    /// <summary>
    /// What a validating resolver would say, roughly: the root DNSKEY probe with AD when <paramref name="validating"/>,
    /// A 127.0.0.1 for any name, NODATA for the rest; AD on every answer.
    /// </summary>
    public static byte[] Plausible(DnsQuery q, bool validating = true) => q.Type switch
    {
        DnsQuery.Dnskey when q.Name.Length == 0 => q.Respond(authenticData: validating),
        DnsQuery.A => q.Respond(0, true, new DnsRecord(q.Name, DnsQuery.A, [127, 0, 0, 1])),
        _ => q.Respond(),
    };

    public static byte[] Hostile(DnsQuery q, HostileDnsAnswer behavior)
    {
        var tlsa = new byte[35];
        tlsa[0] = 3;
        tlsa[1] = 1;
        tlsa[2] = 1;
        switch (behavior)
        {
            case HostileDnsAnswer.TlsaRdataTwoBytes:
                return q.Respond(0, true, new DnsRecord(q.Name, DnsQuery.Tlsa, [3, 1]));
            case HostileDnsAnswer.RdlengthPastEnd:
                return q.Respond(0, true, new DnsRecord(q.Name, DnsQuery.Tlsa, tlsa, RdLength: 400));
            case HostileDnsAnswer.RandomBytes:
                var junk = new byte[122];
                new Random(7672).NextBytes(junk);
                junk[0] = (byte)(q.Id >> 8);
                junk[1] = (byte)q.Id;
                return junk;
            case HostileDnsAnswer.WrongMessageId:
                return DnsQuery.Respond((ushort)(q.Id ^ 0x5A5A), q.QuestionSection, 0, true, new DnsRecord(q.Name, DnsQuery.Tlsa, tlsa));
            case HostileDnsAnswer.OtherQuestion:
                return DnsQuery.Respond(q.Id, DnsQuery.Question("_25._tcp.other.example.test", DnsQuery.Tlsa), 0, true);
            case HostileDnsAnswer.ARecordForTlsa:
                return q.Respond(0, true, new DnsRecord(q.Name, DnsQuery.A, [127, 0, 0, 1]));
            case HostileDnsAnswer.AdWithoutValidation:
                return q.Respond(0, true);
            default:
                throw new ArgumentOutOfRangeException(nameof(behavior));
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        udp.Dispose();
        tcp.Stop();
        stopping.Dispose();
    }

    private byte[]? Answer(byte[] message)
    {
        var query = DnsQuery.Parse(message);
        if (query is null)
        {
            return null;
        }

        Interlocked.Increment(ref queries);
        return answer(query);
    }

    private async Task ServeUdpAsync()
    {
        var buffer = new byte[65535];
        var any = new IPEndPoint(EndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var received = await udp.ReceiveFromAsync(buffer, SocketFlags.None, any, stopping.Token);
                if (Answer(buffer[..received.ReceivedBytes]) is { } response)
                {
                    _ = SendLaterAsync(response, received.RemoteEndPoint);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Disposed.
        }
    }

    private async Task SendLaterAsync(byte[] response, EndPoint to)
    {
        try
        {
            await Task.Delay(delay, stopping.Token);
            await udp.SendToAsync(response, SocketFlags.None, to, stopping.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Disposed.
        }
    }

    private async Task ServeTcpAsync()
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var connection = await tcp.AcceptTcpClientAsync(stopping.Token);
                _ = ServeConnectionAsync(connection);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Disposed.
        }
    }

    private async Task ServeConnectionAsync(TcpClient connection)
    {
        using var _ = connection;
        try
        {
            var stream = connection.GetStream();
            var lengthBytes = new byte[2];
            while (!stopping.IsCancellationRequested)
            {
                await stream.ReadExactlyAsync(lengthBytes, stopping.Token);
                var message = new byte[(lengthBytes[0] << 8) | lengthBytes[1]];
                await stream.ReadExactlyAsync(message, stopping.Token);
                if (Answer(message) is { } response)
                {
                    await Task.Delay(delay, stopping.Token);
                    await stream.WriteAsync(new byte[] { (byte)(response.Length >> 8), (byte)response.Length }.Concat(response).ToArray(), stopping.Token);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException or IOException)
        {
            // Client gone, or disposed.
        }
    }
}
