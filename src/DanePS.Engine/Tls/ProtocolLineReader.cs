using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS.Engine.Tls;

/// <summary>
/// Reads CRLF lines from a plain-text protocol before TLS starts, never more than a line limit and never
/// beyond the end of the current line, so no TLS byte is consumed by the text layer.
/// </summary>
internal sealed class ProtocolLineReader
{
    private readonly Stream _stream;
    private readonly int _maxLineLength;
    private readonly TimeSpan _readTimeout;
    private readonly Action _abort;
    private readonly byte[] _one = new byte[1];

    public ProtocolLineReader(Stream stream, int maxLineLength, TimeSpan readTimeout, Action abort)
    {
        _stream = stream;
        _maxLineLength = maxLineLength;
        _readTimeout = readTimeout;
        _abort = abort;
    }

    public async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        // Byte-at-a-time keeps us from reading past the line (STARTTLS handover); replies are short.
        var line = new StringBuilder();
        while (true)
        {
            var read = await ReadByteAsync(cancellationToken).ConfigureAwait(false);
            if (read < 0)
            {
                throw new TlsProbeException(TlsProbeFailure.ConnectionClosed,
                    line.Length == 0 ? "The server closed the connection." : $"The server closed the connection in the middle of a line: '{Printable(line.ToString())}'.");
            }

            if (read == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            if (line.Length >= _maxLineLength)
            {
                throw new TlsProbeException(TlsProbeFailure.ResponseTooLarge, $"The server sent a line longer than {_maxLineLength} characters: '{Printable(line.ToString(0, 40))}…'.");
            }

            line.Append((char)read);
        }
    }

    public async Task WriteLineAsync(string line, CancellationToken cancellationToken)
    {
        var bytes = Encoding.ASCII.GetBytes(line + "\r\n");
        await _stream.WriteAsync(bytes, 0, bytes.Length, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> ReadByteAsync(CancellationToken cancellationToken)
    {
        // NetworkStream on .NET Framework ignores the token once a read is pending: closing the socket ends it.
        using var timeout = new SocketDeadline(_abort, _readTimeout, cancellationToken);
        try
        {
            var n = await _stream.ReadAsync(_one, 0, 1, timeout.Token).ConfigureAwait(false);
            return n == 0 ? -1 : _one[0];
        }
        catch (Exception ex) when (timeout.Expired && ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            throw new TlsProbeException(TlsProbeFailure.Timeout, $"The server sent nothing for {_readTimeout.TotalSeconds:0.#} s.", ex);
        }
    }

    /// <summary>Makes server text safe to show: control characters become '?', and it is cut short.</summary>
    public static string Printable(string text)
    {
        var sb = new StringBuilder(Math.Min(text.Length, 120));
        foreach (var c in text)
        {
            if (sb.Length >= 120)
            {
                sb.Append('…');
                break;
            }

            sb.Append(c < 0x20 || c > 0x7E ? '?' : c);
        }

        return sb.ToString();
    }
}
