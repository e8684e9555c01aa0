using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS.Engine.Dns;

/// <summary>
/// One DNS message and its answer over an open TCP stream (RFC 1035 §4.2.2: each message is preceded by its length
/// in two bytes). Used where DanePS speaks DNS itself: the checking-disabled probe and RFC 2136 updates.
/// </summary>
internal static class DnsTcpExchange
{
    /// <summary>Shorter than this is not a DNS message: the header alone is 12 bytes.</summary>
    private const int HeaderLength = 12;

    /// <summary>Writes <paramref name="message"/> framed and reads the framed answer; null when its length cannot be a DNS message.</summary>
    public static async Task<byte[]?> SendAsync(Stream stream, byte[] message, CancellationToken cancellationToken)
    {
        var framed = new byte[message.Length + 2];
        framed[0] = (byte)(message.Length >> 8);
        framed[1] = (byte)message.Length;
        Buffer.BlockCopy(message, 0, framed, 2, message.Length);
        await stream.WriteAsync(framed, 0, framed.Length, cancellationToken).ConfigureAwait(false);

        // The two length bytes are also the limit: an answer is at most 65535 bytes.
        var lengthBytes = await ReadExactlyAsync(stream, 2, cancellationToken).ConfigureAwait(false);
        var length = (lengthBytes[0] << 8) | lengthBytes[1];
        return length < HeaderLength ? null : await ReadExactlyAsync(stream, length, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadExactlyAsync(Stream stream, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        var read = 0;
        while (read < count)
        {
            var n = await stream.ReadAsync(buffer, read, count - read, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new IOException("The server closed the connection before its answer was complete.");
            }

            read += n;
        }

        return buffer;
    }
}
