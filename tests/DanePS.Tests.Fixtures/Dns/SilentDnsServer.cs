using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS.Tests.Fixtures.Dns;

/// <summary>
/// A "resolver" that never answers, for timeout tests: a UDP socket that reads and ignores every query, and a TCP
/// listener on the same port that accepts connections and then stays silent (it neither reads nor writes nor closes
/// them until disposed). In process, no root needed: by default 127.0.0.1 on a free port.
/// </summary>
public sealed class SilentDnsServer : IDisposable
{
    private readonly Socket udp;
    private readonly TcpListener tcp;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentBag<Socket> heldConnections = [];
    private int udpQueries;
    private int tcpConnections;

    private SilentDnsServer(Socket udp, TcpListener tcp)
    {
        this.udp = udp;
        this.tcp = tcp;
        EndPoint = (IPEndPoint)udp.LocalEndPoint!;
        _ = IgnoreUdpAsync();
        _ = HoldTcpAsync();
    }

    /// <summary>Where the server listens, for UDP and TCP alike.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>How many UDP datagrams arrived (and were ignored).</summary>
    public int UdpQueries => Volatile.Read(ref udpQueries);

    /// <summary>How many TCP connections were accepted (and left silent).</summary>
    public int TcpConnections => Volatile.Read(ref tcpConnections);

    /// <summary>Starts on <paramref name="address"/> (default 127.0.0.1) and <paramref name="port"/> (default: a free one).</summary>
    public static SilentDnsServer Start(IPAddress? address = null, int port = 0)
    {
        address ??= IPAddress.Loopback;
        if (!IPAddress.IsLoopback(address))
        {
            throw new ArgumentException("Only loopback addresses may be used.", nameof(address));
        }

        for (var attempt = 0; ; attempt++)
        {
            var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(address, port));
                var tcp = new TcpListener(address, ((IPEndPoint)udp.LocalEndPoint!).Port);
                tcp.Start();
                return new SilentDnsServer(udp, tcp);
            }
            catch (SocketException) when (port == 0 && attempt < 20)
            {
                // The UDP port's TCP twin was taken: try another free port.
                udp.Dispose();
            }
            catch
            {
                udp.Dispose();
                throw;
            }
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        udp.Dispose();
        tcp.Stop();
        foreach (var connection in heldConnections)
        {
            connection.Dispose();
        }

        stopping.Dispose();
    }

    private async Task IgnoreUdpAsync()
    {
        var buffer = new byte[65535];
        var any = new IPEndPoint(EndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await udp.ReceiveFromAsync(buffer, SocketFlags.None, any, stopping.Token);
                Interlocked.Increment(ref udpQueries);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Disposed.
        }
    }

    private async Task HoldTcpAsync()
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var connection = await tcp.AcceptSocketAsync(stopping.Token);
                heldConnections.Add(connection);
                Interlocked.Increment(ref tcpConnections);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Disposed.
        }
    }
}
