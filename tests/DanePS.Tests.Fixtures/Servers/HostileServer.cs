using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS.Tests.Fixtures.Servers;

/// <summary>How a <see cref="HostileServer"/> misbehaves towards every client that connects.</summary>
public enum HostileBehavior
{
    /// <summary>Accepts and never sends a byte; reads and drops what the client sends.</summary>
    Silent,

    /// <summary>Sends "220-…" continuation lines one byte per <see cref="HostileServer.DripInterval"/>, without end.</summary>
    Drip,

    /// <summary>Sends 4 KiB of binary junk instead of a greeting, then keeps the connection open.</summary>
    Garbage,

    /// <summary>Answers like a web server: an HTTP/1.1 400 response, then closes.</summary>
    HttpResponse,

    /// <summary>A valid SMTP server (multi-line 220, EHLO with several 250- lines) that does not offer STARTTLS.</summary>
    NoStartTls,

    /// <summary>Offers STARTTLS and answers it with "454 4.7.0 TLS not available due to local problem".</summary>
    StartTlsRefused,

    /// <summary>Offers STARTTLS, answers "220 2.0.0 Ready to start TLS", then closes on the first TLS bytes.</summary>
    HandshakeDrop,

    /// <summary>Sends "220-" continuation lines as fast as the client reads them, without end.</summary>
    EndlessGreeting,

    /// <summary>Sends "220 " and then <see cref="HostileServer.LongLineLength"/> bytes without a line break, then keeps the connection open.</summary>
    LongLine,
}

/// <summary>
/// An in-process TCP server on 127.0.0.1 (ephemeral port) that breaks the SMTP/TLS protocol in one chosen way, to
/// test a client's timeouts and limits. It stops itself after <see cref="Lifetime"/> and on dispose, closing every
/// connection.
/// </summary>
public sealed class HostileServer : IAsyncDisposable, IDisposable
{
    public const string HostName = "hostile.example.test";

    private const int MaxCommandLength = 1000;
    private const int MaxCommands = 100;

    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop;
    private readonly ConcurrentDictionary<Socket, byte> connections = new();
    private readonly ConcurrentQueue<string> receivedCommands = new();
    private readonly ConcurrentBag<Task> handlers = new();
    private readonly Task acceptLoop;
    private int connectionCount;
    private int sawTlsHandshake;
    private int disposed;

    private HostileServer(HostileBehavior behavior, TimeSpan lifetime, TimeSpan dripInterval, int longLineLength)
    {
        Behavior = behavior;
        Lifetime = lifetime;
        DripInterval = dripInterval;
        LongLineLength = longLineLength;
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Endpoint = (IPEndPoint)listener.LocalEndpoint;
        stop = new CancellationTokenSource(lifetime);
        stop.Token.Register(() => listener.Stop());
        acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public HostileBehavior Behavior { get; }

    /// <summary>127.0.0.1 and the port the kernel gave.</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>After this the server stops by itself, so a test that hangs cannot keep it alive.</summary>
    public TimeSpan Lifetime { get; }

    public TimeSpan DripInterval { get; }

    public int LongLineLength { get; }

    /// <summary>Completes once the server has stopped listening (its lifetime ended or it was disposed).</summary>
    public Task Stopped => acceptLoop;

    /// <summary>Connections accepted so far.</summary>
    public int ConnectionCount => Volatile.Read(ref connectionCount);

    /// <summary>The SMTP command lines clients sent (the SMTP behaviours only), in order, without CRLF.</summary>
    public IReadOnlyList<string> ReceivedCommands => receivedCommands.ToList();

    /// <summary><see cref="HostileBehavior.HandshakeDrop"/>: the client's first bytes after STARTTLS were a TLS handshake record.</summary>
    public bool SawTlsHandshake => Volatile.Read(ref sawTlsHandshake) != 0;

    /// <summary>Starts listening at once; the server lives at most <paramref name="lifetime"/> (default 2 minutes).</summary>
    public static HostileServer Start(HostileBehavior behavior, TimeSpan? lifetime = null, TimeSpan? dripInterval = null, int longLineLength = 1 << 20)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(longLineLength);
        return new HostileServer(behavior, lifetime ?? TimeSpan.FromMinutes(2), dripInterval ?? TimeSpan.FromSeconds(1), longLineLength);
    }

    /// <summary>An endpoint where nothing listens: connections are refused.</summary>
    public static IPEndPoint RefusedEndpoint() => LoopbackEndpoints.Refused();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await stop.CancelAsync();
        listener.Stop();
        foreach (var socket in connections.Keys)
        {
            socket.Dispose();
        }

        await Task.WhenAny(Task.WhenAll(handlers.Append(acceptLoop)), Task.Delay(TimeSpan.FromSeconds(5)));
        stop.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task AcceptLoopAsync()
    {
        var token = stop.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                Socket socket;
                try
                {
                    socket = await listener.AcceptSocketAsync(token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                Interlocked.Increment(ref connectionCount);
                connections.TryAdd(socket, 0);
                handlers.Add(Task.Run(() => HandleAsync(socket, token)));
            }
        }
        finally
        {
            // Closed here too, so that once Stopped completes new connections are refused.
            listener.Stop();
        }
    }

    private async Task HandleAsync(Socket socket, CancellationToken token)
    {
        try
        {
            using var stream = new NetworkStream(socket, ownsSocket: false);
            switch (Behavior)
            {
                case HostileBehavior.Silent:
                    await DrainAsync(stream, token);
                    break;
                case HostileBehavior.Drip:
                    await DripAsync(stream, token);
                    break;
                case HostileBehavior.Garbage:
                    await stream.WriteAsync(Junk(), token);
                    await DrainAsync(stream, token);
                    break;
                case HostileBehavior.HttpResponse:
                    await stream.WriteAsync(Ascii(HttpResponse), token);
                    break;
                case HostileBehavior.EndlessGreeting:
                    for (long n = 1; ; n++)
                    {
                        await stream.WriteAsync(Ascii($"220-{HostName} endless greeting line {n}\r\n"), token);
                    }

                case HostileBehavior.LongLine:
                    await stream.WriteAsync(Ascii("220 "), token);
                    await stream.WriteAsync(Enumerable.Repeat((byte)'x', LongLineLength).ToArray(), token);
                    await DrainAsync(stream, token);
                    break;
                default:
                    await SmtpSessionAsync(stream, token);
                    break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The client left or the server is stopping: both are normal ends here.
        }
        finally
        {
            connections.TryRemove(socket, out _);
            socket.Dispose();
        }
    }

    private async Task DripAsync(NetworkStream stream, CancellationToken token)
    {
        var line = Ascii($"220-{HostName} greeting, one byte at a time\r\n");
        for (var i = 0; ; i = (i + 1) % line.Length)
        {
            await stream.WriteAsync(line.AsMemory(i, 1), token);
            await Task.Delay(DripInterval, token);
        }
    }

    /// <summary>The three behaviours that speak correct (if unhelpful) SMTP.</summary>
    private async Task SmtpSessionAsync(NetworkStream stream, CancellationToken token)
    {
        var offersStartTls = Behavior != HostileBehavior.NoStartTls;
        await stream.WriteAsync(Ascii($"220-{HostName} ESMTP DanePS hostile test server\r\n220 {Behavior}\r\n"), token);
        var reader = new SmtpLineReader(stream, MaxCommandLength);
        for (var count = 0; count < MaxCommands; count++)
        {
            var line = await reader.ReadLineAsync(token);
            if (line is null)
            {
                return;
            }

            if (line.Length > MaxCommandLength)
            {
                await stream.WriteAsync(Ascii("500 5.5.2 Error: line too long\r\n"), token);
                return;
            }

            receivedCommands.Enqueue(line);
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await stream.WriteAsync(Ascii(EhloReply(offersStartTls)), token);
                    break;
                case "HELO":
                    await stream.WriteAsync(Ascii($"250 {HostName}\r\n"), token);
                    break;
                case "NOOP":
                case "RSET":
                    await stream.WriteAsync(Ascii("250 2.0.0 Ok\r\n"), token);
                    break;
                case "QUIT":
                    await stream.WriteAsync(Ascii("221 2.0.0 Bye\r\n"), token);
                    return;
                case "STARTTLS" when Behavior == HostileBehavior.StartTlsRefused:
                    await stream.WriteAsync(Ascii("454 4.7.0 TLS not available due to local problem\r\n"), token);
                    break;
                case "STARTTLS" when Behavior == HostileBehavior.HandshakeDrop:
                    await stream.WriteAsync(Ascii("220 2.0.0 Ready to start TLS\r\n"), token);
                    var first = reader.TakeBuffered() ?? await ReadSomeAsync(stream, token);
                    if (first is { Length: > 0 } && first[0] == 0x16)
                    {
                        Interlocked.Exchange(ref sawTlsHandshake, 1);
                    }

                    return;
                default:
                    await stream.WriteAsync(Ascii("502 5.5.2 Error: command not recognized\r\n"), token);
                    break;
            }
        }

        await stream.WriteAsync(Ascii("421 4.7.0 Too many commands\r\n"), token);
    }

    private static string EhloReply(bool offerStartTls)
    {
        var lines = new List<string> { HostName, "PIPELINING", "SIZE 10240000" };
        if (offerStartTls)
        {
            lines.Add("STARTTLS");
        }

        lines.Add("ENHANCEDSTATUSCODES");
        lines.Add("8BITMIME");
        lines.Add("SMTPUTF8");
        var text = new StringBuilder();
        for (var i = 0; i < lines.Count; i++)
        {
            text.Append(i < lines.Count - 1 ? "250-" : "250 ").Append(lines[i]).Append("\r\n");
        }

        return text.ToString();
    }

    private static async Task<byte[]?> ReadSomeAsync(NetworkStream stream, CancellationToken token)
    {
        var buffer = new byte[512];
        var read = await stream.ReadAsync(buffer, token);
        return read > 0 ? buffer[..read] : null;
    }

    private static async Task DrainAsync(NetworkStream stream, CancellationToken token)
    {
        var buffer = new byte[4096];
        while (await stream.ReadAsync(buffer, token) > 0)
        {
        }
    }

    /// <summary>Bytes that no SMTP client could take for a reply: NULs, high bytes, no digits first.</summary>
    private static byte[] Junk()
    {
        var junk = new byte[4096];
        new Random(6698).NextBytes(junk);
        junk[0] = 0x00;
        junk[1] = 0xFF;
        return junk;
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private const string HttpResponse =
        "HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nContent-Type: text/html\r\nContent-Length: 50\r\nConnection: close\r\n\r\n" +
        "<html><body><h1>400 Bad Request</h1></body></html>";

    /// <summary>Reads CRLF- (or LF-) terminated lines, giving up past a length limit.</summary>
    private sealed class SmtpLineReader(NetworkStream stream, int maxLength)
    {
        private readonly byte[] buffer = new byte[4096];
        private readonly List<byte> line = new();
        private int start;
        private int end;

        /// <summary>The next line without its terminator; null at end of stream; a longer-than-limit string if the line is too long.</summary>
        public async Task<string?> ReadLineAsync(CancellationToken token)
        {
            line.Clear();
            while (true)
            {
                if (start == end)
                {
                    start = 0;
                    end = await stream.ReadAsync(buffer, token);
                    if (end == 0)
                    {
                        return null;
                    }
                }

                var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
                var stopAt = newline < 0 ? end : newline;
                line.AddRange(buffer.AsSpan(start, stopAt - start).ToArray());
                start = newline < 0 ? end : newline + 1;
                if (line.Count > maxLength)
                {
                    return new string('x', maxLength + 1);
                }

                if (newline >= 0)
                {
                    var text = Encoding.ASCII.GetString(line.ToArray());
                    return text.TrimEnd('\r');
                }
            }
        }

        /// <summary>Bytes the client sent after the last line, if any (a client that did not wait for our reply).</summary>
        public byte[]? TakeBuffered()
        {
            if (start == end)
            {
                return null;
            }

            var rest = buffer[start..end];
            start = end;
            return rest;
        }
    }
}
