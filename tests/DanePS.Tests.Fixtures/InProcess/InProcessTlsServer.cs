using System;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Tests.Fixtures.Pki;

namespace DanePS.Tests.Fixtures.InProcess;

/// <summary>
/// A small TLS server in the test process (implicit TLS or SMTP STARTTLS) that sends a chosen chain.
/// For quick cmdlet tests; the real-server fixtures (Postfix, Dovecot, nginx) cover what users meet.
/// </summary>
public sealed class InProcessTlsServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly SslStreamCertificateContext _context;
    private readonly bool _smtp;

    public InProcessTlsServer(TestCertificate leaf, TestCertificate[] intermediates, bool smtpStartTls)
    {
        _smtp = smtpStartTls;
        var withKey = leaf.Key switch
        {
            ECDsa ec => leaf.Certificate.CopyWithPrivateKey(ec),
            RSA rsa => leaf.Certificate.CopyWithPrivateKey(rsa),
            _ => throw new NotSupportedException(),
        };
        var extra = new X509Certificate2Collection();
        foreach (var i in intermediates)
        {
            extra.Add(i.Certificate);
        }

        _context = SslStreamCertificateContext.Create(withKey, extra, offline: true);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        try
        {
            var stream = client.GetStream();
            if (_smtp)
            {
                await WriteAsync(stream, "220-mx.example.test ESMTP test\r\n220 ready\r\n", timeout.Token);
                await ReadLineAsync(stream, timeout.Token); // EHLO
                await WriteAsync(stream, "250-mx.example.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 STARTTLS\r\n", timeout.Token);
                await ReadLineAsync(stream, timeout.Token); // STARTTLS
                await WriteAsync(stream, "220 2.0.0 Ready to start TLS\r\n", timeout.Token);
            }

            using var tls = new SslStream(stream);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificateContext = _context }, timeout.Token);
            var buffer = new byte[256];
            while (await tls.ReadAsync(buffer, timeout.Token) > 0)
            {
                if (_smtp)
                {
                    await tls.WriteAsync(Encoding.ASCII.GetBytes("221 2.0.0 Bye\r\n"), timeout.Token);
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
        {
            // Clients may hang up at any point.
        }
    }

    private static Task WriteAsync(NetworkStream stream, string text, CancellationToken ct) =>
        stream.WriteAsync(Encoding.ASCII.GetBytes(text), ct).AsTask();

    private static async Task<string> ReadLineAsync(NetworkStream stream, CancellationToken ct)
    {
        var sb = new StringBuilder();
        var one = new byte[1];
        while (await stream.ReadAsync(one, ct) == 1 && one[0] != '\n')
        {
            sb.Append((char)one[0]);
        }

        return sb.ToString();
    }
}
