using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using DanePS.Tests.Fixtures.Pki;
using Xunit;
using Xunit.Abstractions;

namespace DanePS.Tests.Fixtures.Servers;

/// <summary>Checks shared by the server fixture tests: the chain openssl saw is exactly the one configured.</summary>
internal static class PresentedChain
{
    public static void AssertIs(TlsIdentity expected, OpenSslHandshake seen)
    {
        var want = expected.Certificates.Select(c => c.GetCertHashString(HashAlgorithmName.SHA256)).ToList();
        Assert.True(
            want.SequenceEqual(seen.ChainThumbprints),
            $"Expected chain [{string.Join(", ", expected.Certificates.Select(c => c.Subject))}], server sent [{string.Join(", ", seen.Chain.Select(c => c.Subject))}].\n{seen.Output}");
    }

    public static void AssertStopped(DaemonTestServer server, params IPEndPoint[] endpoints)
    {
        Assert.False(server.IsRunning, $"pid {server.ProcessId} still runs after dispose");
        Assert.False(Directory.Exists(server.WorkDirectory), $"{server.WorkDirectory} still exists after dispose");
        foreach (var endpoint in endpoints)
        {
            using var client = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            var error = Assert.Throws<SocketException>(() => client.Connect(endpoint));
            Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
        }
    }
}

public sealed class PostfixServerFixtureTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Single_chain_is_presented_after_STARTTLS()
    {
        var identity = TlsIdentity.Issue(TestKeyType.Ecdsa, sendIntermediate: true, "mx.example.test");
        await using var server = await PostfixTestServer.StartAsync(identity);
        output.WriteLine($"Postfix started in {server.StartDuration.TotalMilliseconds:0} ms on {server.Endpoint}");

        var seen = await OpenSslClient.HandshakeAsync(server.Endpoint, startTls: "smtp");

        Assert.Equal(2, seen.Chain.Count);
        PresentedChain.AssertIs(identity, seen);
    }

    [Fact]
    public async Task Chain_without_intermediate_sends_the_leaf_alone()
    {
        var identity = TlsIdentity.Issue(TestKeyType.Rsa, sendIntermediate: false, "mx.example.test");
        await using var server = await PostfixTestServer.StartAsync(identity);

        var seen = await OpenSslClient.HandshakeAsync(server.Endpoint, startTls: "smtp");

        Assert.Single(seen.Chain);
        PresentedChain.AssertIs(identity, seen);
    }

    [Fact]
    public async Task Dual_chains_present_the_key_type_the_client_offers()
    {
        var rsa = TlsIdentity.Issue(TestKeyType.Rsa, sendIntermediate: true, "mx.example.test");
        var ecdsa = TlsIdentity.Issue(TestKeyType.Ecdsa, sendIntermediate: true, "mx.example.test");
        await using var server = await PostfixTestServer.StartAsync(rsa, ecdsa);

        var ecdsaOnly = await OpenSslClient.HandshakeAsync(server.Endpoint, startTls: "smtp", signatureAlgorithms: "ECDSA+SHA256");
        var rsaOnly = await OpenSslClient.HandshakeAsync(server.Endpoint, startTls: "smtp", signatureAlgorithms: "RSA-PSS+SHA256:RSA+SHA256");

        PresentedChain.AssertIs(ecdsa, ecdsaOnly);
        Assert.Equal("ECDSA", ecdsaOnly.PeerSignatureType);
        PresentedChain.AssertIs(rsa, rsaOnly);
        Assert.StartsWith("RSA", rsaOnly.PeerSignatureType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listens_on_IPv4_and_IPv6_endpoints_at_once()
    {
        var identity = TlsIdentity.Issue(TestKeyType.Ecdsa, sendIntermediate: false, "mx.example.test");
        var options = new PostfixTestServerOptions();
        options.Endpoints.Add(LoopbackEndpoints.NextEndpoint(2525));
        options.Endpoints.Add(LoopbackEndpoints.NextIPv6Endpoint());
        options.Identities.Add(identity);
        await using var server = await PostfixTestServer.StartAsync(options);

        Assert.Equal(2, server.Endpoints.Count);
        foreach (var endpoint in server.Endpoints)
        {
            PresentedChain.AssertIs(identity, await OpenSslClient.HandshakeAsync(endpoint, startTls: "smtp"));
        }
    }

    [Fact]
    public async Task Dispose_stops_the_server_and_deletes_its_folder()
    {
        var server = await PostfixTestServer.StartAsync(TlsIdentity.Issue(TestKeyType.Ecdsa, sendIntermediate: true));
        Assert.True(server.IsRunning);

        // Postfix's master logs through postlogd, which may write the line a moment after the port accepts.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!server.ReadLog().Contains("daemon started", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Contains("daemon started", server.ReadLog(), StringComparison.Ordinal);

        await server.DisposeAsync();

        PresentedChain.AssertStopped(server, server.Endpoint);
    }

    [Fact]
    public async Task Start_failure_reports_Postfix_own_error_and_cleans_up()
    {
        using var squatter = new TcpListener(LoopbackEndpoints.NextEndpoint(2525));
        squatter.Start();
        var options = new PostfixTestServerOptions();
        options.Endpoints.Add((IPEndPoint)squatter.LocalEndpoint);
        options.Identities.Add(TlsIdentity.Issue(TestKeyType.Ecdsa, sendIntermediate: true));
        var before = Directory.GetDirectories(Path.GetTempPath(), "daneps-postfix-*").ToHashSet();

        var error = await Assert.ThrowsAsync<FixtureException>(() => PostfixTestServer.StartAsync(options));

        Assert.Contains("Address already in use", error.Message, StringComparison.Ordinal);

        // Other tests start Postfix instances concurrently: only a folder configured for this listener is ours.
        var listener = LoopbackEndpoints.Format((IPEndPoint)squatter.LocalEndpoint);
        var leftovers = Directory.GetDirectories(Path.GetTempPath(), "daneps-postfix-*").Except(before)
            .Where(d => Directory.EnumerateFiles(d, "master.cf", SearchOption.AllDirectories).Any(f => File.ReadAllText(f).Contains(listener, StringComparison.Ordinal)));
        Assert.Empty(leftovers);
    }
}

public sealed class DovecotServerFixtureTests(ITestOutputHelper output)
{
    [Fact]
    public async Task IMAP_STARTTLS_and_POP3_STLS_present_the_chain()
    {
        var identity = TlsIdentity.Issue(TestKeyType.Ecdsa, sendIntermediate: true, "imap.example.test");
        await using var server = await DovecotTestServer.StartAsync(identity);
        output.WriteLine($"Dovecot started in {server.StartDuration.TotalMilliseconds:0} ms on {server.ImapEndpoint} and {server.Pop3Endpoint}");

        var imap = await OpenSslClient.HandshakeAsync(server.ImapEndpoint!, startTls: "imap");
        var pop3 = await OpenSslClient.HandshakeAsync(server.Pop3Endpoint!, startTls: "pop3");

        PresentedChain.AssertIs(identity, imap);
        PresentedChain.AssertIs(identity, pop3);
        Assert.Null(server.ImapsEndpoint);
    }

    [Fact]
    public async Task Implicit_TLS_listeners_and_dual_chains()
    {
        var rsa = TlsIdentity.Issue(TestKeyType.Rsa, sendIntermediate: false, "imap.example.test");
        var ecdsa = TlsIdentity.Issue(TestKeyType.Ecdsa, sendIntermediate: true, "imap.example.test");
        var options = new DovecotTestServerOptions { ImapsPort = 993, Pop3sPort = 995 };
        options.Identities.Add(rsa);
        options.Identities.Add(ecdsa);
        await using var server = await DovecotTestServer.StartAsync(options);

        PresentedChain.AssertIs(ecdsa, await OpenSslClient.HandshakeAsync(server.ImapsEndpoint!, signatureAlgorithms: "ECDSA+SHA256"));
        PresentedChain.AssertIs(rsa, await OpenSslClient.HandshakeAsync(server.Pop3sEndpoint!, signatureAlgorithms: "RSA-PSS+SHA256:RSA+SHA256"));
        PresentedChain.AssertIs(rsa, await OpenSslClient.HandshakeAsync(server.ImapEndpoint!, startTls: "imap", signatureAlgorithms: "RSA-PSS+SHA256:RSA+SHA256"));
    }

    [Fact]
    public async Task Dispose_stops_the_server_and_deletes_its_folder()
    {
        var server = await DovecotTestServer.StartAsync(TlsIdentity.Issue(TestKeyType.Ecdsa, sendIntermediate: true));
        Assert.True(server.IsRunning);

        await server.DisposeAsync();

        PresentedChain.AssertStopped(server, server.Endpoints.ToArray());
    }

    [Fact]
    public async Task Start_failure_reports_Dovecot_own_error_and_cleans_up()
    {
        using var squatter = new TcpListener(LoopbackEndpoints.NextEndpoint(143));
        squatter.Start();
        var busy = (IPEndPoint)squatter.LocalEndpoint;
        var options = new DovecotTestServerOptions { Address = busy.Address, ImapPort = busy.Port };
        options.Identities.Add(TlsIdentity.Issue(TestKeyType.Ecdsa, sendIntermediate: true));
        var before = Directory.GetDirectories(Path.GetTempPath(), "daneps-dovecot-*").ToHashSet();

        var error = await Assert.ThrowsAsync<FixtureException>(() => DovecotTestServer.StartAsync(options));

        Assert.Contains("Address already in use", error.Message, StringComparison.Ordinal);
        // Only this start's folder counts: other fixtures (the endpoint world's Dovecots, tests running beside this one)
        // make and remove folders of the same name meanwhile, each on its own loopback address.
        Assert.DoesNotContain(Directory.GetDirectories(Path.GetTempPath(), "daneps-dovecot-*").Except(before), d => ListensOn(d, busy.Address));
    }

    private static bool ListensOn(string folder, IPAddress address)
    {
        try
        {
            return File.ReadAllText(Path.Combine(folder, "dovecot.conf")).Contains($"listen = {address}\n", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false; // another fixture's folder, already being removed
        }
    }
}

public sealed class NginxServerFixtureTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Several_listeners_and_IPv6_present_their_block_chain()
    {
        var first = TlsIdentity.Issue(TestKeyType.Ecdsa, sendIntermediate: true, "www.example.test");
        var second = TlsIdentity.Issue(TestKeyType.Rsa, sendIntermediate: false, "other.example.test");
        var firstListeners = LoopbackEndpoints.NextAddresses(3).Select(a => LoopbackEndpoints.EndpointOn(a, 443)).Append(LoopbackEndpoints.NextIPv6Endpoint()).ToList();
        var secondListeners = LoopbackEndpoints.NextAddresses(2).Select(a => LoopbackEndpoints.EndpointOn(a, 8443)).ToList();
        await using var server = await NginxTestServer.StartAsync(new[] { new NginxServerBlock(firstListeners, first), new NginxServerBlock(secondListeners, second) });

        Assert.Equal(6, server.Endpoints.Count);
        Assert.Contains(server.Endpoints, e => e.Address.Equals(IPAddress.IPv6Loopback));
        foreach (var endpoint in firstListeners)
        {
            PresentedChain.AssertIs(first, await OpenSslClient.HandshakeAsync(endpoint, serverName: "www.example.test"));
        }

        foreach (var endpoint in secondListeners)
        {
            PresentedChain.AssertIs(second, await OpenSslClient.HandshakeAsync(endpoint, serverName: "other.example.test"));
        }
    }

    [Fact]
    public async Task Three_hundred_listeners_start_fast()
    {
        var identity = TlsIdentity.Issue(TestKeyType.Ecdsa, sendIntermediate: true, "www.example.test");
        await using var server = await NginxTestServer.StartAsync(identity, listenerCount: 300, port: 443, includeIPv6: true);
        output.WriteLine($"nginx with {server.Endpoints.Count} listeners started in {server.StartDuration.TotalMilliseconds:0} ms");

        Assert.Equal(301, server.Endpoints.Count);
        Assert.Equal(301, server.Endpoints.Distinct().Count());
        Assert.True(server.StartDuration < TimeSpan.FromSeconds(5), $"start took {server.StartDuration}");
        foreach (var endpoint in new[] { server.Endpoints[0], server.Endpoints[150], server.Endpoints[299], server.Endpoints[300] })
        {
            PresentedChain.AssertIs(identity, await OpenSslClient.HandshakeAsync(endpoint, serverName: "www.example.test"));
        }
    }

    [Fact]
    public async Task Dispose_stops_the_server_and_deletes_its_folder()
    {
        var server = await NginxTestServer.StartAsync(TlsIdentity.Issue(TestKeyType.Ecdsa, sendIntermediate: true), listenerCount: 2);
        Assert.True(server.IsRunning);

        await server.DisposeAsync();

        PresentedChain.AssertStopped(server, server.Endpoints.ToArray());
    }
}

public sealed class HostileServerFixtureTests
{
    private static readonly TimeSpan ReadLimit = TimeSpan.FromSeconds(5);
    private static readonly string[] ExpectedCommands = { "EHLO client.example.test", "STARTTLS", "QUIT" };

    [Fact]
    public async Task Silent_sends_nothing_but_keeps_the_connection()
    {
        await using var server = HostileServer.Start(HostileBehavior.Silent);
        using var client = await ConnectAsync(server.Endpoint);
        var stream = client.GetStream();

        var received = await ReadForAsync(stream, TimeSpan.FromSeconds(1));
        await stream.WriteAsync(Encoding.ASCII.GetBytes("EHLO client.example.test\r\n"));

        Assert.Empty(received);
        Assert.True(client.Connected);
        Assert.Equal(1, server.ConnectionCount);
    }

    [Fact]
    public async Task Drip_sends_one_greeting_byte_per_interval()
    {
        await using var server = HostileServer.Start(HostileBehavior.Drip, dripInterval: TimeSpan.FromMilliseconds(500));
        using var client = await ConnectAsync(server.Endpoint);

        var received = await ReadForAsync(client.GetStream(), TimeSpan.FromMilliseconds(1600));

        // Bytes at 0, 0.5, 1.0 and 1.5 s. On a loaded 2-core machine timers and reads slip, so the window is wide;
        // what must hold is a trickle: more than one byte, and nowhere near the whole greeting line (30+ bytes).
        Assert.InRange(received.Length, 2, 8);
        Assert.StartsWith(Encoding.ASCII.GetString(received), $"220-{HostileServer.HostName} greeting", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Garbage_sends_binary_junk_instead_of_a_greeting()
    {
        await using var server = HostileServer.Start(HostileBehavior.Garbage);
        using var client = await ConnectAsync(server.Endpoint);

        var received = await ReadForAsync(client.GetStream(), TimeSpan.FromMilliseconds(500));

        Assert.Equal(4096, received.Length);
        Assert.Equal(0x00, received[0]);
        Assert.Contains(received, b => b > 0x7F);
    }

    [Fact]
    public async Task HttpResponse_answers_like_a_web_server_and_closes()
    {
        await using var server = HostileServer.Start(HostileBehavior.HttpResponse);
        using var client = await ConnectAsync(server.Endpoint);

        var (received, closed) = await ReadToEndAsync(client.GetStream());

        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", Encoding.ASCII.GetString(received), StringComparison.Ordinal);
        Assert.True(closed);
    }

    [Fact]
    public async Task NoStartTls_is_valid_SMTP_without_STARTTLS()
    {
        await using var server = HostileServer.Start(HostileBehavior.NoStartTls);
        using var client = await ConnectAsync(server.Endpoint);
        using var smtp = new SmtpTestClient(client.GetStream());

        var greeting = await smtp.ReadReplyAsync();
        var ehlo = await smtp.CommandAsync("EHLO client.example.test");
        var startTls = await smtp.CommandAsync("STARTTLS");
        var quit = await smtp.CommandAsync("QUIT");

        Assert.Equal(2, greeting.Count);
        Assert.Equal($"220-{HostileServer.HostName} ESMTP DanePS hostile test server", greeting[0]);
        Assert.Equal("220 NoStartTls", greeting[1]);
        Assert.True(ehlo.Count >= 4, string.Join('\n', ehlo));
        Assert.All(ehlo[..^1], l => Assert.StartsWith("250-", l, StringComparison.Ordinal));
        Assert.StartsWith("250 ", ehlo[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(ehlo, l => l.Contains("STARTTLS", StringComparison.Ordinal));
        Assert.StartsWith("502 ", Assert.Single(startTls), StringComparison.Ordinal);
        Assert.Equal("221 2.0.0 Bye", Assert.Single(quit));
        Assert.Equal(ExpectedCommands, server.ReceivedCommands);
    }

    [Fact]
    public async Task StartTlsRefused_offers_STARTTLS_then_answers_454()
    {
        await using var server = HostileServer.Start(HostileBehavior.StartTlsRefused);
        using var client = await ConnectAsync(server.Endpoint);
        using var smtp = new SmtpTestClient(client.GetStream());

        await smtp.ReadReplyAsync();
        var ehlo = await smtp.CommandAsync("EHLO client.example.test");
        var startTls = await smtp.CommandAsync("STARTTLS");

        Assert.Contains("250-STARTTLS", ehlo);
        Assert.Equal("454 4.7.0 TLS not available due to local problem", Assert.Single(startTls));
    }

    [Fact]
    public async Task HandshakeDrop_closes_on_the_first_TLS_bytes()
    {
        await using var server = HostileServer.Start(HostileBehavior.HandshakeDrop);
        using var client = await ConnectAsync(server.Endpoint);
        using var smtp = new SmtpTestClient(client.GetStream());

        await smtp.ReadReplyAsync();
        Assert.Contains("250-STARTTLS", await smtp.CommandAsync("EHLO client.example.test"));
        Assert.Equal("220 2.0.0 Ready to start TLS", Assert.Single(await smtp.CommandAsync("STARTTLS")));
        using var tls = new System.Net.Security.SslStream(client.GetStream(), leaveInnerStreamOpen: true);
        var handshake = tls.AuthenticateAsClientAsync(HostileServer.HostName).WaitAsync(ReadLimit);

        var error = await Record.ExceptionAsync(() => handshake);

        Assert.True(error is IOException or System.Security.Authentication.AuthenticationException, $"handshake ended with {error?.GetType().Name ?? "success"}");
        Assert.True(server.SawTlsHandshake);
    }

    [Fact]
    public async Task EndlessGreeting_never_sends_a_last_line()
    {
        await using var server = HostileServer.Start(HostileBehavior.EndlessGreeting);
        using var client = await ConnectAsync(server.Endpoint);
        using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);

        var lines = new List<string>();
        while (lines.Count < 10_000)
        {
            lines.Add(await reader.ReadLineAsync().WaitAsync(ReadLimit) ?? throw new EndOfStreamException());
        }

        Assert.All(lines, l => Assert.StartsWith("220-", l, StringComparison.Ordinal));
        Assert.EndsWith("line 10000", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task LongLine_sends_a_megabyte_without_a_line_break()
    {
        await using var server = HostileServer.Start(HostileBehavior.LongLine);
        using var client = await ConnectAsync(server.Endpoint);
        var stream = client.GetStream();

        var received = new List<byte>();
        var buffer = new byte[65536];
        while (received.Count < (1 << 20) + 4)
        {
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(ReadLimit);
            Assert.NotEqual(0, read);
            received.AddRange(buffer[..read]);
        }

        Assert.Equal((1 << 20) + 4, received.Count);
        Assert.Equal("220 x", Encoding.ASCII.GetString(received.GetRange(0, 5).ToArray()));
        Assert.DoesNotContain((byte)'\n', received);
        Assert.Empty(await ReadForAsync(stream, TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Refused_endpoint_refuses_connections()
    {
        var endpoint = HostileServer.RefusedEndpoint();
        using var client = new TcpClient(endpoint.AddressFamily);

        var error = await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(endpoint));

        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
        Assert.True(IPAddress.IsLoopback(endpoint.Address));
    }

    [Fact]
    public async Task Lifetime_and_dispose_end_the_server_and_its_connections()
    {
        await using var shortLived = HostileServer.Start(HostileBehavior.Silent, lifetime: TimeSpan.FromMilliseconds(200));
        var server = HostileServer.Start(HostileBehavior.Silent);
        using var client = await ConnectAsync(server.Endpoint);

        await server.DisposeAsync();
        var (_, closed) = await ReadToEndAsync(client.GetStream());
        await shortLived.Stopped.WaitAsync(ReadLimit);

        Assert.True(closed, "dispose left the client's connection open");
        Assert.True(server.Stopped.IsCompleted);
        using var late = new TcpClient(AddressFamily.InterNetwork);
        var error = await Assert.ThrowsAsync<SocketException>(() => late.ConnectAsync(shortLived.Endpoint));
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }

    private static async Task<TcpClient> ConnectAsync(IPEndPoint endpoint)
    {
        var client = new TcpClient(endpoint.AddressFamily);
        await client.ConnectAsync(endpoint).WaitAsync(ReadLimit);
        return client;
    }

    /// <summary>Everything that arrives within <paramref name="duration"/>.</summary>
    private static async Task<byte[]> ReadForAsync(NetworkStream stream, TimeSpan duration) => (await ReadToEndAsync(stream, duration)).Received;

    /// <summary>Reads until the server closes (true) or <paramref name="limit"/> (by default <see cref="ReadLimit"/>) passes (false).</summary>
    private static async Task<(byte[] Received, bool Closed)> ReadToEndAsync(NetworkStream stream, TimeSpan? limit = null)
    {
        using var window = new System.Threading.CancellationTokenSource(limit ?? ReadLimit);
        var received = new List<byte>();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, window.Token)) > 0)
            {
                received.AddRange(buffer[..read]);
            }

            return (received.ToArray(), true);
        }
        catch (IOException)
        {
            return (received.ToArray(), true);
        }
        catch (OperationCanceledException)
        {
            return (received.ToArray(), false);
        }
    }

    /// <summary>Just enough SMTP client to check the hostile servers' replies line by line.</summary>
    private sealed class SmtpTestClient(NetworkStream stream) : IDisposable
    {
        private readonly StreamReader reader = new(stream, Encoding.ASCII, false, 1024, leaveOpen: true);

        public async Task<List<string>> CommandAsync(string command)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
            return await ReadReplyAsync();
        }

        /// <summary>One reply: lines up to the first whose fourth character is a space.</summary>
        public async Task<List<string>> ReadReplyAsync()
        {
            var lines = new List<string>();
            while (true)
            {
                var line = await reader.ReadLineAsync().WaitAsync(ReadLimit) ?? throw new EndOfStreamException(string.Join('\n', lines));
                lines.Add(line);
                if (line.Length < 4 || line[3] == ' ')
                {
                    return lines;
                }
            }
        }

        public void Dispose() => reader.Dispose();
    }
}

public sealed class LoopbackEndpointsServerFixtureTests
{
    [Fact]
    public void Addresses_are_unique_loopback_addresses_in_this_process_slot()
    {
        var addresses = LoopbackEndpoints.NextAddresses(600);

        Assert.Equal(600, addresses.Distinct().Count());
        Assert.All(addresses, a =>
        {
            var bytes = a.GetAddressBytes();
            Assert.Equal(new byte[] { 127, LoopbackEndpoints.Slot }, bytes[..2]);
            Assert.InRange(bytes[3], 1, 254);
        });
        Assert.InRange(LoopbackEndpoints.Slot, 128, 254);
    }

    [Fact]
    public void A_taken_port_gives_way_to_a_free_one()
    {
        using var squatter = new TcpListener(LoopbackEndpoints.NextEndpoint(2525));
        squatter.Start();
        var taken = (IPEndPoint)squatter.LocalEndpoint;

        var endpoint = LoopbackEndpoints.EndpointOn(taken.Address, taken.Port);

        Assert.Equal(taken.Address, endpoint.Address);
        Assert.NotEqual(taken.Port, endpoint.Port);
        Assert.True(LoopbackEndpoints.CanBind(endpoint));
    }

    [Fact]
    public void Non_loopback_addresses_are_refused()
    {
        Assert.Throws<ArgumentException>(() => LoopbackEndpoints.FreePort(IPAddress.Parse("192.0.2.1")));
    }
}
