using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS.Tests.Fixtures.Dns;

/// <summary>Header facts of one DNS answer.</summary>
internal sealed record DnsProbeAnswer(int ResponseCode, bool Authoritative, bool AuthenticData, bool Truncated, int AnswerCount)
{
    public override string ToString() =>
        $"rcode {ResponseCode}, {AnswerCount} answer(s){(Authoritative ? ", AA" : string.Empty)}{(AuthenticData ? ", AD" : string.Empty)}{(Truncated ? ", TC" : string.Empty)}";
}

/// <summary>
/// A bare one-packet UDP query, used to see whether a server the fixture started is up and answering as it should.
/// Deliberately independent of the DNS library under test.
/// </summary>
internal static class DnsProbe
{
    public const ushort TypeA = 1;
    public const ushort TypeSoa = 6;

    /// <summary>Sends one query (with EDNS, DO and AD set) and returns the answer's header, or null when none came in time.</summary>
    public static async Task<DnsProbeAnswer?> QueryAsync(IPEndPoint server, string name, ushort type, bool recursionDesired, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var id = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
        var query = BuildQuery(id, name, type, recursionDesired);
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        var buffer = new byte[4096];
        try
        {
            // Connected, so that "port unreachable" comes back as an error at once instead of a silent wait.
            await socket.ConnectAsync(server, timeoutSource.Token);
            await socket.SendAsync(query, SocketFlags.None, timeoutSource.Token);
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeoutSource.Token);
                if (received >= 12 && BinaryPrimitives.ReadUInt16BigEndian(buffer) == id)
                {
                    var flags = BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(2));
                    return new DnsProbeAnswer(
                        ResponseCode: flags & 0x000F,
                        Authoritative: (flags & 0x0400) != 0,
                        AuthenticData: (flags & 0x0020) != 0,
                        Truncated: (flags & 0x0200) != 0,
                        AnswerCount: BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(6)));
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (SocketException)
        {
            // Nothing listening yet (ICMP port unreachable).
            return null;
        }
    }

    private static byte[] BuildQuery(ushort id, string name, ushort type, bool recursionDesired)
    {
        var packet = new List<byte>(64);
        void AddUInt16(int value)
        {
            packet.Add((byte)(value >> 8));
            packet.Add((byte)value);
        }

        AddUInt16(id);
        AddUInt16((recursionDesired ? 0x0100 : 0) | 0x0020); // RD, AD (RFC 6840: tell me whether it validated)
        AddUInt16(1); // QDCOUNT
        AddUInt16(0);
        AddUInt16(0);
        AddUInt16(1); // ARCOUNT: the OPT record
        foreach (var label in DnsName.Normalize(name).Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var bytes = System.Text.Encoding.ASCII.GetBytes(label);
            packet.Add((byte)bytes.Length);
            packet.AddRange(bytes);
        }

        packet.Add(0);
        AddUInt16(type);
        AddUInt16(1); // IN
        packet.Add(0); // OPT owner: root
        AddUInt16(41); // OPT
        AddUInt16(1232); // UDP payload size
        AddUInt16(0); // extended RCODE, version
        AddUInt16(0x8000); // DO
        AddUInt16(0); // RDLEN
        return packet.ToArray();
    }
}
