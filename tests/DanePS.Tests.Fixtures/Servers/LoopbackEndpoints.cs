using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace DanePS.Tests.Fixtures.Servers;

/// <summary>
/// Hands out loopback addresses and ports that no other fixture uses, in this process or in another test process
/// running at the same time.
/// </summary>
/// <remarks>
/// Linux routes all of 127.0.0.0/8 to lo, so each server gets its own address and can keep a well-known port.
/// Each process claims a second octet (a "slot", 128–254) by holding an exclusive lock on
/// <c>/tmp/daneps-loopback/slot-N.lock</c> for its lifetime (released by the kernel when it exits), then counts
/// through the 65,024 host addresses 127.slot.0.1–127.slot.255.254. 127.0–127.127 are left to other fixtures
/// (DNS servers, 127.0.0.1). Only loopback addresses are ever returned.
/// </remarks>
public static class LoopbackEndpoints
{
    private const int FirstSlot = 128;
    private const int SlotCount = 127;
    private const int HostsPerSlot = 256 * 254;
    private const string SlotDirectory = "/tmp/daneps-loopback";

    private static readonly Lazy<byte> ClaimedSlot = new(ClaimSlot, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int nextHost = -1;

    // Held open for the life of the process: the lock is the claim.
    private static FileStream? slotLock;

    /// <summary>The second octet this process owns.</summary>
    public static byte Slot => ClaimedSlot.Value;

    /// <summary>A loopback address (127.slot.x.y) no other fixture has been given.</summary>
    public static IPAddress NextAddress()
    {
        var n = Interlocked.Increment(ref nextHost);
        if (n >= HostsPerSlot)
        {
            throw new InvalidOperationException($"This test process used all {HostsPerSlot} loopback addresses of its slot 127.{Slot}.0.0/16.");
        }

        return new IPAddress(new byte[] { 127, Slot, (byte)(n / 254), (byte)((n % 254) + 1) });
    }

    /// <summary><paramref name="count"/> fresh addresses, e.g. for many nginx listeners.</summary>
    public static IReadOnlyList<IPAddress> NextAddresses(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var list = new List<IPAddress>(count);
        for (var i = 0; i < count; i++)
        {
            list.Add(NextAddress());
        }

        return list;
    }

    /// <summary>
    /// A fresh address with <paramref name="preferredPort"/> if that can be bound there (it normally can: the
    /// address is ours alone; a server listening on the wildcard address can take it), else a free port.
    /// </summary>
    public static IPEndPoint NextEndpoint(int preferredPort) => EndpointOn(NextAddress(), preferredPort);

    /// <summary><paramref name="preferredPort"/> on <paramref name="address"/> if it can be bound, else a free port there.</summary>
    public static IPEndPoint EndpointOn(IPAddress address, int preferredPort)
    {
        var endpoint = new IPEndPoint(address, preferredPort);
        return CanBind(endpoint) ? endpoint : new IPEndPoint(address, FreePort(address));
    }

    /// <summary>A port the kernel says is free on <paramref name="address"/> right now (bound and released).</summary>
    public static int FreePort(IPAddress address)
    {
        EnsureLoopback(address);
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>[::1] with a free port: there is only one IPv6 loopback address, so the port makes it unique.</summary>
    public static IPEndPoint NextIPv6Endpoint() => new(IPAddress.IPv6Loopback, FreePort(IPAddress.IPv6Loopback));

    /// <summary>An endpoint where nothing listens: connecting to it is refused at once.</summary>
    public static IPEndPoint Refused()
    {
        var address = NextAddress();
        return new IPEndPoint(address, FreePort(address));
    }

    public static bool CanBind(IPEndPoint endpoint)
    {
        EnsureLoopback(endpoint.Address);
        try
        {
            using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(endpoint);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Throws unless <paramref name="address"/> is in 127.0.0.0/8 or is ::1: tests never touch any other address.</summary>
    public static void EnsureLoopback(IPAddress address)
    {
        if (!IPAddress.IsLoopback(address))
        {
            throw new ArgumentException($"{address} is not a loopback address; test servers listen on 127.0.0.0/8 or ::1 only.", nameof(address));
        }
    }

    /// <summary>"127.1.2.3:25" or "[::1]:443", the form nginx, Postfix and openssl take.</summary>
    public static string Format(IPEndPoint endpoint) =>
        endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]:{endpoint.Port}" : $"{endpoint.Address}:{endpoint.Port}";

    /// <summary>Whether any TCP socket listens on an address of 127.<paramref name="slot"/>.0.0/16 (from /proc/net/tcp).</summary>
    public static bool SlotHasListeners(int slot)
    {
        const string listen = "0A";
        try
        {
            foreach (var line in File.ReadLines("/proc/net/tcp"))
            {
                // "  sl  local_address rem_address   st ...": the address is hex in the kernel's (little-endian) byte order.
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 3 && fields[3] == listen && fields[1].Length >= 8
                    && uint.TryParse(fields[1].AsSpan(0, 8), System.Globalization.NumberStyles.HexNumber, null, out var address)
                    && (address & 0xFF) == 127 && ((address >> 8) & 0xFF) == slot)
                {
                    return true;
                }
            }
        }
        catch (IOException)
        {
        }

        return false;
    }

    private static byte ClaimSlot()
    {
        var pid = Environment.ProcessId;
        try
        {
            Directory.CreateDirectory(SlotDirectory);
            for (var i = 0; i < SlotCount; i++)
            {
                var slot = FirstSlot + ((pid + i) % SlotCount);
                try
                {
                    // On Linux .NET takes an flock(LOCK_EX | LOCK_NB) for FileShare.None: a second process fails here.
                    var claim = new FileStream(Path.Combine(SlotDirectory, $"slot-{slot}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                    if (SlotHasListeners(slot))
                    {
                        // A server outlived the process that held this slot (a killed run): its addresses are taken.
                        claim.Dispose();
                        continue;
                    }

                    slotLock = claim;
                    return (byte)slot;
                }
                catch (IOException)
                {
                }
            }
        }
        catch (UnauthorizedAccessException)
        {
        }

        Debug.WriteLine("No loopback slot could be locked; falling back to one derived from the pid.");
        return (byte)(FirstSlot + (pid % SlotCount));
    }
}
