using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Reporting;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace DanePS.Engine.Tls;

/// <summary>Connects to a TLS service as a client would and takes the certificate chain exactly as sent.</summary>
public static class TlsProbe
{
    /// <summary>
    /// Connects to <paramref name="address"/>, starts TLS with the dialect, sends <paramref name="serverName"/> as
    /// SNI, and returns the presented chain. The probe resolves nothing: addresses come from the caller's DNS
    /// reader (and its resolvers), never from the system resolver.
    /// </summary>
    /// <exception cref="TlsProbeException">No chain could be obtained; <see cref="TlsProbeException.Failure"/> says where.</exception>
    public static Task<TlsProbeResult> ProbeAsync(string serverName, IPAddress address, int port, StartTlsProtocol protocol, TlsProbeOptions? options, CancellationToken cancellationToken) =>
        ProbeAsync(serverName, address, port, protocol, options, null, cancellationToken);

    /// <summary>
    /// As <see cref="ProbeAsync(string, IPAddress, int, StartTlsProtocol, TlsProbeOptions?, CancellationToken)"/>,
    /// telling <paramref name="reporter"/> each stage as it ends: connect, STARTTLS, handshake.
    /// </summary>
    /// <exception cref="TlsProbeException">No chain could be obtained; <see cref="TlsProbeException.Failure"/> says where.</exception>
    public static async Task<TlsProbeResult> ProbeAsync(string serverName, IPAddress address, int port, StartTlsProtocol protocol, TlsProbeOptions? options, IReporter? reporter, CancellationToken cancellationToken)
    {
        reporter ??= NullReporter.Instance;
        if (address is null)
        {
            throw new ArgumentNullException(nameof(address));
        }

        options ??= new TlsProbeOptions();
        if (protocol == StartTlsProtocol.Auto)
        {
            protocol = TlsProbeOptions.ForPort(port);
        }

        var label = $"{serverName}:{port} [{address}]" + (options.KeyType == TlsKeyType.Any ? string.Empty : $" ({options.KeyType})");
        try
        {
            return await ProbeCoreAsync(serverName, new IPEndPoint(address, port), protocol, options, reporter, label, cancellationToken).ConfigureAwait(false);
        }
        catch (TlsProbeException ex)
        {
            reporter.Verbose($"{label}: {ex.Failure}: {ex.Message}");
            throw;
        }
    }

    private static async Task<TlsProbeResult> ProbeCoreAsync(string serverName, IPEndPoint endPoint, StartTlsProtocol protocol, TlsProbeOptions options, IReporter reporter, string label, CancellationToken cancellationToken)
    {
        var address = endPoint.Address;

        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var deadline = new SocketDeadline(socket, options.OverallTimeout, cancellationToken);
        var clock = Stopwatch.StartNew();

        try
        {
            await ConnectAsync(socket, endPoint, options.ConnectTimeout, deadline.Token).ConfigureAwait(false);
            var connectTime = clock.Elapsed;
            reporter.Verbose($"{label}: connect: connected in {connectTime.TotalMilliseconds:0} ms");
            using var stream = new NetworkStream(socket, ownsSocket: false);

            var reader = new ProtocolLineReader(stream, options.MaxLineLength, options.ReadTimeout, () => socket.Dispose());
            var greeting = await StartTlsDialog.NegotiateAsync(protocol, reader, options, deadline.Token).ConfigureAwait(false);
            var startTlsTime = clock.Elapsed - connectTime;
            if (greeting is not null)
            {
                reporter.Debug($"{label}: greeting: {greeting}");
            }

            reporter.Verbose(protocol == StartTlsProtocol.ImplicitTls
                ? $"{label}: STARTTLS: none, implicit TLS"
                : $"{label}: STARTTLS: {protocol} STARTTLS accepted in {startTlsTime.TotalMilliseconds:0} ms");

            var client = new ChainCapturingTlsClient(NextCrypto(), serverName, options.KeyType);
            var tls = new TlsClientProtocol(); // non-blocking: no thread waits on the socket
            string? handshakeError = null;
            var handshakeStart = clock.Elapsed;
            try
            {
                await HandshakeAsync(tls, client, stream, options.ReadTimeout, () => socket.Dispose(), deadline.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or TlsException or ObjectDisposedException or SocketException or OperationCanceledException or TlsProbeException)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var why = client.AlertText ?? Describe(ex, deadline.IsCancellationRequested, options);
                if (client.Chain.Count == 0)
                {
                    var failure = deadline.IsCancellationRequested || ex is TlsProbeException { Failure: TlsProbeFailure.Timeout }
                        ? TlsProbeFailure.Timeout
                        : TlsProbeFailure.HandshakeFailed;
                    throw new TlsProbeException(failure, $"The TLS handshake with {endPoint} failed before the server sent its certificates: {why}.", ex);
                }

                handshakeError = why;
            }

            var result = new TlsProbeResult(serverName, endPoint, protocol, options.KeyType,
                client.Chain)
            {
                Greeting = greeting,
                HandshakeCompleted = handshakeError is null,
                HandshakeError = handshakeError,
                TlsVersion = client.ServerVersion?.Name,
                CipherSuite = client.SelectedCipherSuite >= 0 ? ChainCapturingTlsClient.CipherSuiteName(client.SelectedCipherSuite) : null,
                ConnectTime = connectTime,
                StartTlsTime = startTlsTime,
                HandshakeTime = clock.Elapsed - handshakeStart,
            };

            var leaf = client.Chain.Count > 0 ? $"; leaf {client.Chain[0].Subject} ({client.Chain[0].KeyDescription})" : string.Empty;
            reporter.Verbose(handshakeError is null
                ? $"{label}: handshake: {result.TlsVersion} {result.CipherSuite}, {client.Chain.Count} certificate(s){leaf}, in {result.HandshakeTime.TotalMilliseconds:0} ms"
                : $"{label}: handshake: {client.Chain.Count} certificate(s){leaf} arrived, then the handshake failed: {handshakeError}");

            if (handshakeError is null)
            {
                await SayGoodbyeAsync(tls, stream, protocol, deadline.Token).ConfigureAwait(false);
            }

            return result;
        }
        catch (TlsProbeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (TlsProbeException ex) when (deadline.IsCancellationRequested && ex.Failure is TlsProbeFailure.ConnectionClosed or TlsProbeFailure.NetworkError)
        {
            throw new TlsProbeException(TlsProbeFailure.Timeout, $"{endPoint} did not finish within the {options.OverallTimeout.TotalSeconds:0.#} s deadline.", ex);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (deadline.IsCancellationRequested)
            {
                throw new TlsProbeException(TlsProbeFailure.Timeout, $"{endPoint} did not finish within the {options.OverallTimeout.TotalSeconds:0.#} s deadline.", ex);
            }

            throw new TlsProbeException(TlsProbeFailure.NetworkError, $"Network error with {endPoint}: {ex.Message}", ex);
        }
    }

    private static async Task ConnectAsync(Socket socket, IPEndPoint endPoint, TimeSpan timeout, CancellationToken ct)
    {
        using var connectTimeout = new SocketDeadline(socket, timeout, ct);
        try
        {
            await Task.Factory.FromAsync(socket.BeginConnect, socket.EndConnect, endPoint, null).ConfigureAwait(false);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            throw new TlsProbeException(TlsProbeFailure.ConnectionRefused, $"{endPoint} refused the connection.", ex);
        }
        catch (Exception ex) when (connectTimeout.Expired && ex is SocketException or ObjectDisposedException)
        {
            throw new TlsProbeException(TlsProbeFailure.ConnectTimeout, $"No connection to {endPoint} within {timeout.TotalSeconds:0.#} s.", ex);
        }
        catch (SocketException ex) when (!ct.IsCancellationRequested)
        {
            throw new TlsProbeException(TlsProbeFailure.NetworkError, $"Cannot connect to {endPoint}: {ex.Message}", ex);
        }
    }

    private static string Describe(Exception ex, bool deadlinePassed, TlsProbeOptions options)
    {
        if (deadlinePassed)
        {
            return $"no answer within the {options.OverallTimeout.TotalSeconds:0.#} s deadline";
        }

        return ex switch
        {
            TlsFatalAlertReceived alert => $"the server sent the alert '{AlertDescription.GetText(alert.AlertDescription)}'",
            TlsFatalAlert alert => $"'{AlertDescription.GetText(alert.AlertDescription)}'",
            TlsProbeException probe => probe.Message,
            EndOfStreamException or TlsNoCloseNotifyException => "the server closed the connection",
            IOException { InnerException: SocketException se } => se.SocketErrorCode == SocketError.TimedOut ? "the server stopped answering" : se.Message,
            _ => ex.Message,
        };
    }

    private static async Task SayGoodbyeAsync(TlsClientProtocol tls, NetworkStream stream, StartTlsProtocol protocol, CancellationToken ct)
    {
        try
        {
            var goodbye = StartTlsDialog.Goodbye(protocol);
            if (goodbye is not null)
            {
                var bytes = Encoding.ASCII.GetBytes(goodbye + "\r\n");
                tls.WriteApplicationData(bytes, 0, bytes.Length);
            }

            tls.Close();
            await FlushAsync(tls, stream, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or TlsException or ObjectDisposedException or SocketException or OperationCanceledException)
        {
            // The chain is in hand; a rude close from the server changes nothing.
        }
    }

    /// <summary>
    /// Drives BouncyCastle's non-blocking handshake over async socket I/O: what it wants sent is written, what
    /// arrives is offered to it, until the handshake completes or fails. Each read is bounded by the read timeout.
    /// </summary>
    private static async Task HandshakeAsync(TlsClientProtocol tls, ChainCapturingTlsClient client, NetworkStream stream, TimeSpan readTimeout, Action abort, CancellationToken ct)
    {
        tls.Connect(client);
        var buffer = new byte[16 * 1024];
        while (true)
        {
            await FlushAsync(tls, stream, ct).ConfigureAwait(false);
            if (client.HandshakeComplete)
            {
                return;
            }

            int read;
            using (var timeout = new SocketDeadline(abort, readTimeout, ct))
            {
                try
                {
                    read = await stream.ReadAsync(buffer, 0, buffer.Length, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (timeout.Expired && ex is IOException or ObjectDisposedException or OperationCanceledException)
                {
                    throw new TlsProbeException(TlsProbeFailure.Timeout, $"the server sent nothing for {readTimeout.TotalSeconds:0.#} s", ex);
                }
            }

            if (read == 0)
            {
                throw new EndOfStreamException("the server closed the connection");
            }

            tls.OfferInput(buffer, 0, read);
        }
    }

    private static async Task FlushAsync(TlsClientProtocol tls, NetworkStream stream, CancellationToken ct)
    {
        int pending;
        while ((pending = tls.GetAvailableOutputBytes()) > 0)
        {
            var output = new byte[pending];
            var n = tls.ReadOutput(output, 0, pending);
            await stream.WriteAsync(output, 0, n, ct).ConfigureAwait(false);
        }
    }

    // A few crypto instances, handed out in turn: one shared SecureRandom serializes concurrent handshakes.
    private static readonly BcTlsCrypto[] Cryptos = Enumerable.Range(0, Math.Max(2, Environment.ProcessorCount * 2)).Select(_ => (BcTlsCrypto)new NativeVerifyingTlsCrypto(new SecureRandom())).ToArray();
    private static int _nextCrypto;

    private static BcTlsCrypto NextCrypto() => Cryptos[(int)((uint)Interlocked.Increment(ref _nextCrypto) % (uint)Cryptos.Length)];
}
