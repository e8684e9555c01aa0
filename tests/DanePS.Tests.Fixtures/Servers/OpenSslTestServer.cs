using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using DanePS.Tests.Fixtures.Pki;

namespace DanePS.Tests.Fixtures.Servers;

/// <summary>
/// <c>openssl s_server</c> on a loopback address, sending the leaf and then the chain file exactly in the order
/// given (no chain building), so a test can put any chain on the wire: out of order, with a cross-signed root in
/// the middle, or with no issuer at all.
/// </summary>
public sealed class OpenSslTestServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private OpenSslTestServer(Process process, string directory, IPEndPoint endPoint)
    {
        _process = process;
        _directory = directory;
        EndPoint = endPoint;
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>Starts the server and waits until it accepts connections.</summary>
    public static async Task<OpenSslTestServer> StartAsync(TestCertificate leaf, params TestCertificate[] chain)
    {
        var directory = FixtureDirectory.Create("s_server");
        var leafPath = TestPki.WriteChain(directory, "leaf.pem", leaf);
        var keyPath = TestPki.WriteKey(directory, "leaf.key", leaf);
        var endPoint = new IPEndPoint(LoopbackEndpoints.NextAddress(), 4433);
        var arguments = new List<string> { "s_server", "-accept", LoopbackEndpoints.Format(endPoint), "-cert", leafPath, "-key", keyPath, "-quiet" };
        if (chain.Length > 0)
        {
            arguments.AddRange(new[] { "-cert_chain", TestPki.WriteChain(directory, "chain.pem", chain) });
        }

        var process = ExternalCommand.StartServer(RequiredProgram.OpenSsl, arguments, directory, Path.Combine(directory, "s_server.out"), keepStandardInputOpen: true);
        var server = new OpenSslTestServer(process, directory, endPoint);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(endPoint.Address, endPoint.Port);
                return server;
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(10) && !process.HasExited)
            {
                await Task.Delay(20);
            }
            catch (SocketException e)
            {
                await server.DisposeAsync();
                throw new FixtureException($"openssl s_server did not listen on {endPoint}.", e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // Our own child, ended through its handle.
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        FixtureDirectory.Delete(_directory);
    }
}
