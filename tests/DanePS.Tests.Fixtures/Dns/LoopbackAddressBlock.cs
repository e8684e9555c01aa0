using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace DanePS.Tests.Fixtures.Dns;

/// <summary>
/// A /24 of loopback addresses, 127.53.N.0/24, held by one environment at a time across all processes of the machine:
/// a lock file per block (an exclusive flock, released by the kernel when the holder dies) plus a check that nobody
/// else listens on its DNS addresses. The start block differs per process and per instance, so parallel test classes
/// and parallel test runs rarely even try the same block.
/// </summary>
internal sealed class LoopbackAddressBlock : IDisposable
{
    private const int SecondOctet = 53;
    private static int instanceCounter;

    private readonly FileStream lockFile;

    private LoopbackAddressBlock(int blockNumber, FileStream lockFile, string workingFolder)
    {
        BlockNumber = blockNumber;
        this.lockFile = lockFile;
        WorkingFolder = workingFolder;
    }

    public int BlockNumber { get; }

    /// <summary>The block's working folder in the temp folder, named after the block.</summary>
    public string WorkingFolder { get; }

    public IPAddress this[int host] => new(new byte[] { 127, SecondOctet, (byte)BlockNumber, (byte)host });

    /// <summary>Takes a free block, clearing what a crashed earlier holder of that block left behind.</summary>
    public static LoopbackAddressBlock Acquire(int[] hostsToProbe)
    {
        var root = Path.Combine(Path.GetTempPath(), "daneps-dns");
        Directory.CreateDirectory(root);
        var start = (Environment.ProcessId * 37) + (Interlocked.Increment(ref instanceCounter) * 11);
        for (var attempt = 0; attempt < 256; attempt++)
        {
            var blockNumber = (start + attempt) % 256;
            FileStream lockFile;
            try
            {
                // FileShare.None takes an exclusive flock on Unix: other processes, and other handles in this one, fail here.
                lockFile = new FileStream(Path.Combine(root, $"127.{SecondOctet}.{blockNumber}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                continue;
            }

            var block = new LoopbackAddressBlock(blockNumber, lockFile, Path.Combine(root, $"127.{SecondOctet}.{blockNumber}"));

            // We hold the lock, so an existing folder belongs to a holder that died without disposing: its servers may still run.
            ServerProcess.StopAllRecordedIn(block.WorkingFolder);
            if (Directory.Exists(block.WorkingFolder))
            {
                Directory.Delete(block.WorkingFolder, recursive: true);
            }

            if (Array.TrueForAll(hostsToProbe, host => IsFree(new IPEndPoint(block[host], 53))))
            {
                Directory.CreateDirectory(block.WorkingFolder);
                return block;
            }

            block.Dispose();
        }

        throw new FixtureException($"No free loopback block 127.{SecondOctet}.N.0/24 (all 256 are locked or have port 53 in use).");
    }

    /// <summary>A port free for both UDP and TCP on <paramref name="address"/>.</summary>
    public static int FreePort(IPAddress address)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(address, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            if (IsTcpFree(new IPEndPoint(address, port)))
            {
                return port;
            }
        }

        throw new FixtureException($"No port free for both UDP and TCP on {address}.");
    }

    public void Dispose() => lockFile.Dispose();

    private static bool IsFree(IPEndPoint endPoint)
    {
        try
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(endPoint);
        }
        catch (SocketException)
        {
            return false;
        }

        return IsTcpFree(endPoint);
    }

    private static bool IsTcpFree(IPEndPoint endPoint)
    {
        try
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(endPoint);
            tcp.Listen(1);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
