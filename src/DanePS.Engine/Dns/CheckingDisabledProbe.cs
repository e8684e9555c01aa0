using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS.Engine.Dns;

/// <summary>
/// Repeats a query with the CD (checking disabled) bit, which DnsClient cannot set. Only the response code is
/// needed: data with CD after SERVFAIL without it means validation failed (bogus), not that the servers are down.
/// </summary>
internal static class CheckingDisabledProbe
{
    private static readonly char[] Dot = { '.' };

    /// <summary>Returns the response code (0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, …), or null when there was no answer.</summary>
    public static async Task<int?> QueryRcodeAsync(IPEndPoint server, string name, ushort type, TimeSpan timeout, CancellationToken ct)
    {
        var query = Build(name, type, out var id);
        try
        {
            var response = await UdpAsync(server, query, timeout, ct).ConfigureAwait(false);
            if (response is not null && response.Length >= 12 && (response[2] & 0x02) != 0)
            {
                response = await TcpAsync(server, query, timeout, ct).ConfigureAwait(false);
            }

            if (response is null || response.Length < 12 || ((response[0] << 8) | response[1]) != id || (response[2] & 0x80) == 0)
            {
                return null;
            }

            return response[3] & 0x0F;
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return null;
        }
    }

    internal static byte[] Build(string name, ushort type, out ushort id)
    {
        using var ms = new MemoryStream();
        var idBytes = new byte[2];
        using (var rng = System.Security.Cryptography.RandomNumberGenerator.Create())
        {
            rng.GetBytes(idBytes);
        }

        id = (ushort)((idBytes[0] << 8) | idBytes[1]);
        ms.Write(idBytes, 0, 2);
        ms.WriteByte(0x01); // RD
        ms.WriteByte(0x10); // CD
        ms.Write(new byte[] { 0, 1, 0, 0, 0, 0, 0, 1 }, 0, 8); // QD=1, AN=0, NS=0, AR=1 (OPT)
        foreach (var label in name.TrimEnd('.').Split(Dot, StringSplitOptions.RemoveEmptyEntries))
        {
            var bytes = Encoding.ASCII.GetBytes(label);
            ms.WriteByte((byte)bytes.Length);
            ms.Write(bytes, 0, bytes.Length);
        }

        ms.WriteByte(0);
        ms.WriteByte((byte)(type >> 8));
        ms.WriteByte((byte)type);
        ms.Write(new byte[] { 0, 1 }, 0, 2); // class IN

        // OPT: root name, type 41, payload 1232, DO bit set.
        ms.Write(new byte[] { 0, 0, 41, 0x04, 0xD0, 0, 0, 0x80, 0, 0, 0 }, 0, 11);
        return ms.ToArray();
    }

    private static async Task<byte[]?> UdpAsync(IPEndPoint server, byte[] query, TimeSpan timeout, CancellationToken ct)
    {
        using var udp = new UdpClient(server.AddressFamily);
        using var deadline = new SocketDeadline(udp, timeout, ct);
        await udp.SendAsync(query, query.Length, server).ConfigureAwait(false);
        var result = await udp.ReceiveAsync().ConfigureAwait(false);
        return result.Buffer;
    }

    private static async Task<byte[]?> TcpAsync(IPEndPoint server, byte[] query, TimeSpan timeout, CancellationToken ct)
    {
        using var tcp = new TcpClient(server.AddressFamily);
        using var deadline = new SocketDeadline(tcp, timeout, ct);
        await tcp.ConnectAsync(server.Address, server.Port).ConfigureAwait(false);
        return await DnsTcpExchange.SendAsync(tcp.GetStream(), query, deadline.Token).ConfigureAwait(false);
    }
}
