using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using DanePS.Tests.Pki;
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
    public async Task Dispose_stops_the_server_and_deletes_its_folder()
    {
        var server = await PostfixTestServer.StartAsync(TlsIdentity.Issue(TestKeyType.Ecdsa, sendIntermediate: true));
        Assert.True(server.IsRunning);
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

        var error = await Assert.ThrowsAsync<ServerFixtureException>(() => PostfixTestServer.StartAsync(options));

        Assert.Contains("Address already in use", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(Path.GetTempPath(), "daneps-postfix-*").Except(before));
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

        var error = await Assert.ThrowsAsync<ServerFixtureException>(() => DovecotTestServer.StartAsync(options));

        Assert.Contains("Address already in use", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(Path.GetTempPath(), "daneps-dovecot-*").Except(before));
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
