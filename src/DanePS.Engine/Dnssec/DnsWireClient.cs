using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Dns;

namespace DanePS.Engine.Dnssec;

/// <summary>The outcome of one question asked with <see cref="DnsWireClient"/>: a checked response, or why there is none.</summary>
internal sealed class WireExchange
{
    private WireExchange(DnsWireMessage? message, DnsFailure? failure, string? error)
    {
        Message = message;
        Failure = failure;
        Error = error;
    }

    public DnsWireMessage? Message { get; }

    public DnsFailure? Failure { get; }

    public string? Error { get; }

    public static WireExchange Of(DnsWireMessage message) => new(message, null, null);

    public static WireExchange Failed(DnsFailure failure, string error) => new(null, failure, error);
}

/// <summary>
/// Sends questions with RD, CD and DO set (see <see cref="DnsWire"/> for why not DnsClient), over UDP and again over
/// TCP when the answer is truncated; checks the message id and the question of each response.
/// </summary>
internal sealed class DnsWireClient
{
    private readonly IReadOnlyList<IPEndPoint> _servers;
    private readonly TimeSpan _timeout;
    private readonly int _retries;
    private readonly bool _tcpOnly;
    private int _queries;

    public DnsWireClient(IReadOnlyList<IPEndPoint> servers, TimeSpan timeout, int retries, bool tcpOnly = false)
    {
        _servers = servers;
        _timeout = timeout;
        _retries = Math.Max(0, retries);
        _tcpOnly = tcpOnly;
    }

    /// <summary>Questions sent so far (each UDP or TCP attempt counts once).</summary>
    public int QueryCount => Volatile.Read(ref _queries);

    /// <summary>Whether a truncated answer was retried over TCP at least once.</summary>
    public bool UsedTcp { get; private set; }

    public string Servers => string.Join(", ", _servers.Select(s => s.ToString()));

    /// <summary>Asks each resolver in turn (retrying timeouts) until one gives a usable response.</summary>
    public async Task<WireExchange> AskAsync(DomainName name, ushort type, CancellationToken ct)
    {
        WireExchange? last = null;
        for (var attempt = 0; attempt <= _retries; attempt++)
        {
            foreach (var server in _servers)
            {
                last = await AskOneAsync(server, name, type, checkingDisabled: true, ct).ConfigureAwait(false);
                if (last.Failure is not DnsFailure.Timeout and not DnsFailure.Transport)
                {
                    return last;
                }
            }
        }

        return last ?? WireExchange.Failed(DnsFailure.Transport, "no resolver to ask");
    }

    /// <summary>One question to one server: UDP, then TCP on TC.</summary>
    public async Task<WireExchange> AskOneAsync(IPEndPoint server, DomainName name, ushort type, bool checkingDisabled, CancellationToken ct)
    {
        var id = NewId();
        var query = DnsWire.BuildQuery(id, name, type, checkingDisabled);
        byte[]? response;
        try
        {
            Interlocked.Increment(ref _queries);
            response = _tcpOnly ? await TcpAsync(server, query, ct).ConfigureAwait(false) : await UdpAsync(server, query, ct).ConfigureAwait(false);
            var truncated = response is { Length: >= 12 } && (response[2] & 0x02) != 0 && ((response[0] << 8) | response[1]) == id;
            if (!_tcpOnly && (truncated || response is { Length: UdpBufferSize }))
            {
                Interlocked.Increment(ref _queries);
                UsedTcp = true;
                response = await TcpAsync(server, query, ct).ConfigureAwait(false);
            }
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct);
        }
        catch (OperationCanceledException)
        {
            return WireExchange.Failed(DnsFailure.Timeout, $"no answer from {server} for {name} {TypeName(type)} within {_timeout.TotalSeconds:0.#} s");
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
        {
            return WireExchange.Failed(DnsFailure.Transport, $"query {name} {TypeName(type)} to {server} failed: {ex.Message}");
        }

        if (response is null)
        {
            return WireExchange.Failed(DnsFailure.MalformedResponse, $"the response of {server} to {name} {TypeName(type)} is not a DNS message");
        }

        DnsWireMessage message;
        try
        {
            message = DnsWire.Parse(response);
        }
        catch (FormatException ex)
        {
            return WireExchange.Failed(DnsFailure.MalformedResponse, $"the response of {server} to {name} {TypeName(type)} cannot be parsed: {ex.Message}");
        }

        if (message.Id != id)
        {
            return WireExchange.Failed(DnsFailure.MismatchedResponse, $"{server} answered {name} {TypeName(type)} with message id {message.Id} instead of {id}: a reply to another query (or a spoofing attempt), not an answer");
        }

        if (!message.IsResponse || message.Questions.Count != 1 || !message.Questions[0].Name.Equals(name) || message.Questions[0].Type != type || message.Questions[0].Class != 1)
        {
            return WireExchange.Failed(DnsFailure.MismatchedResponse,
                $"{server} answered a question other than {name} {TypeName(type)} ({string.Join(", ", message.Questions.Select(q => $"{q.Name} {TypeName(q.Type)}"))}): not an answer");
        }

        return WireExchange.Of(message);
    }

    public static string TypeName(ushort type) => type switch
    {
        DnsWire.TypeA => "A",
        DnsWire.TypeNs => "NS",
        DnsWire.TypeCname => "CNAME",
        DnsWire.TypeSoa => "SOA",
        DnsWire.TypeMx => "MX",
        DnsWire.TypeAaaa => "AAAA",
        DnsWire.TypeDname => "DNAME",
        DnsWire.TypeDs => "DS",
        DnsWire.TypeRrsig => "RRSIG",
        DnsWire.TypeNsec => "NSEC",
        DnsWire.TypeDnskey => "DNSKEY",
        DnsWire.TypeNsec3 => "NSEC3",
        DnsWire.TypeTlsa => "TLSA",
        _ => "TYPE" + type.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static readonly RandomNumberGenerator Random = RandomNumberGenerator.Create();

    /// <summary>
    /// Receive buffer for UDP answers: more than the 1232 bytes DanePS offers in EDNS (a resolver sends no more, RFC
    /// 6891 §6.2.5). A datagram that fills it is treated as truncated, and the question asked again over TCP.
    /// </summary>
    internal const int UdpBufferSize = 4096;

    private static ushort NewId()
    {
        var bytes = new byte[2];
        Random.GetBytes(bytes); // thread-safe: RandomNumberGenerator.Create() is on .NET and .NET Framework
        return (ushort)((bytes[0] << 8) | bytes[1]);
    }

    /// <summary>
    /// One question over UDP from a new socket (a fresh random source port for each question), connected to the
    /// server, so the kernel drops datagrams from anyone else and no sender address is decoded per answer. An answer
    /// too large for the buffer comes back as <see cref="UdpBufferSize"/> bytes: truncated.
    /// </summary>
    private async Task<byte[]?> UdpAsync(IPEndPoint server, byte[] query, CancellationToken ct)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        using var deadline = new SocketDeadline(socket, _timeout, ct);
        var buffer = ArrayPool<byte>.Shared.Rent(UdpBufferSize);
        try
        {
            socket.Connect(server);
            await socket.SendAsync(new ArraySegment<byte>(query), SocketFlags.None).ConfigureAwait(false);
            int length;
            try
            {
                length = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, 0, UdpBufferSize), SocketFlags.None).ConfigureAwait(false);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.MessageSize)
            {
                length = UdpBufferSize; // Windows reports a datagram larger than the buffer as an error
            }

            var response = new byte[length];
            Buffer.BlockCopy(buffer, 0, response, 0, length);
            return response;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException && deadline.Token.IsCancellationRequested)
        {
            throw new OperationCanceledException(deadline.Token);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<byte[]?> TcpAsync(IPEndPoint server, byte[] query, CancellationToken ct)
    {
        using var tcp = new TcpClient(server.AddressFamily);
        using var deadline = new SocketDeadline(tcp, _timeout, ct);
        try
        {
            await tcp.ConnectAsync(server.Address, server.Port).ConfigureAwait(false);
            return await DnsTcpExchange.SendAsync(tcp.GetStream(), query, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException && deadline.Token.IsCancellationRequested)
        {
            throw new OperationCanceledException(deadline.Token);
        }
    }
}
