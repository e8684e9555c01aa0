using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS.Engine.Tls;

/// <summary>The plain-text exchanges that lead to a TLS handshake, and the polite goodbye after it.</summary>
internal static class StartTlsDialog
{
    /// <summary>Runs the dialect up to the point where TLS starts; returns the greeting's first line.</summary>
    public static Task<string?> NegotiateAsync(StartTlsProtocol protocol, ProtocolLineReader reader, TlsProbeOptions options, CancellationToken ct) => protocol switch
    {
        StartTlsProtocol.Smtp => SmtpAsync(reader, options, ct),
        StartTlsProtocol.Imap => ImapAsync(reader, options, ct),
        StartTlsProtocol.Pop3 => Pop3Async(reader, options, ct),
        _ => Task.FromResult<string?>(null),
    };

    /// <summary>The command that ends the session after the handshake, sent over TLS.</summary>
    public static string? Goodbye(StartTlsProtocol protocol) => protocol switch
    {
        StartTlsProtocol.Smtp => "QUIT",
        StartTlsProtocol.Imap => "z LOGOUT",
        StartTlsProtocol.Pop3 => "QUIT",
        _ => null,
    };

    private static async Task<string?> SmtpAsync(ProtocolLineReader reader, TlsProbeOptions options, CancellationToken ct)
    {
        var greeting = await ReadSmtpReplyAsync(reader, options, "greeting", ct).ConfigureAwait(false);
        if (greeting.Code != 220)
        {
            throw new TlsProbeException(TlsProbeFailure.ServiceRefused, $"The SMTP server refused the session: {greeting.Text}");
        }

        await reader.WriteLineAsync("EHLO " + options.ClientName, ct).ConfigureAwait(false);
        var ehlo = await ReadSmtpReplyAsync(reader, options, "EHLO reply", ct).ConfigureAwait(false);
        if (ehlo.Code != 250)
        {
            throw new TlsProbeException(TlsProbeFailure.ServiceRefused, $"The SMTP server rejected EHLO: {ehlo.Text}");
        }

        // The first line is the server's name; extensions follow, one a line (RFC 5321 §4.1.1.1).
        if (!ehlo.Lines.Skip(1).Any(l => l.Substring(4).Split(' ')[0].Equals("STARTTLS", StringComparison.OrdinalIgnoreCase)))
        {
            await TryQuitAsync(reader, ct).ConfigureAwait(false);
            throw new TlsProbeException(TlsProbeFailure.StartTlsNotOffered, "The SMTP server does not advertise STARTTLS in its EHLO reply.");
        }

        await reader.WriteLineAsync("STARTTLS", ct).ConfigureAwait(false);
        var start = await ReadSmtpReplyAsync(reader, options, "STARTTLS reply", ct).ConfigureAwait(false);
        if (start.Code != 220)
        {
            await TryQuitAsync(reader, ct).ConfigureAwait(false);
            throw new TlsProbeException(TlsProbeFailure.StartTlsRefused, $"The SMTP server refused STARTTLS: {start.Text}");
        }

        return greeting.Lines[0];
    }

    private static async Task<(int Code, List<string> Lines, string Text)> ReadSmtpReplyAsync(ProtocolLineReader reader, TlsProbeOptions options, string what, CancellationToken ct)
    {
        var lines = new List<string>();
        int? code = null;
        while (true)
        {
            if (lines.Count >= options.MaxReplyLines)
            {
                throw new TlsProbeException(TlsProbeFailure.ResponseTooLarge, $"The SMTP {what} has more than {options.MaxReplyLines} lines.");
            }

            var line = await reader.ReadLineAsync(ct).ConfigureAwait(false);
            if (line.Length < 3 || !line.Take(3).All(char.IsDigit) || (line.Length > 3 && line[3] != ' ' && line[3] != '-'))
            {
                throw new TlsProbeException(TlsProbeFailure.ProtocolError, $"Not an SMTP server: its {what} is '{ProtocolLineReader.Printable(line)}'.");
            }

            var lineCode = int.Parse(line.Substring(0, 3), System.Globalization.CultureInfo.InvariantCulture);
            if (code is not null && lineCode != code)
            {
                throw new TlsProbeException(TlsProbeFailure.ProtocolError, $"The SMTP {what} mixes reply codes {code} and {lineCode}.");
            }

            code = lineCode;
            lines.Add(line.Length > 3 ? line : line + " ");
            if (line.Length == 3 || line[3] == ' ')
            {
                return (lineCode, lines, ProtocolLineReader.Printable(string.Join(" / ", lines)));
            }
        }
    }

    private static async Task TryQuitAsync(ProtocolLineReader reader, CancellationToken ct)
    {
        try
        {
            await reader.WriteLineAsync("QUIT", ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.IO.IOException or ObjectDisposedException)
        {
            // Leaving anyway.
        }
    }

    private static async Task<string?> ImapAsync(ProtocolLineReader reader, TlsProbeOptions options, CancellationToken ct)
    {
        var greeting = await reader.ReadLineAsync(ct).ConfigureAwait(false);
        if (greeting.StartsWith("* BYE", StringComparison.OrdinalIgnoreCase))
        {
            throw new TlsProbeException(TlsProbeFailure.ServiceRefused, $"The IMAP server refused the session: {ProtocolLineReader.Printable(greeting)}");
        }

        if (!greeting.StartsWith("* OK", StringComparison.OrdinalIgnoreCase) && !greeting.StartsWith("* PREAUTH", StringComparison.OrdinalIgnoreCase))
        {
            throw new TlsProbeException(TlsProbeFailure.ProtocolError, $"Not an IMAP server: its greeting is '{ProtocolLineReader.Printable(greeting)}'.");
        }

        await reader.WriteLineAsync("a CAPABILITY", ct).ConfigureAwait(false);
        var capabilities = await ReadImapTaggedAsync(reader, "a", options, ct).ConfigureAwait(false);
        var advertised = capabilities.Lines.Concat(new[] { greeting })
            .Any(l => l.Split(' ', '[', ']').Any(w => w.Equals("STARTTLS", StringComparison.OrdinalIgnoreCase)));
        if (!advertised)
        {
            throw new TlsProbeException(TlsProbeFailure.StartTlsNotOffered, "The IMAP server does not advertise STARTTLS.");
        }

        await reader.WriteLineAsync("b STARTTLS", ct).ConfigureAwait(false);
        var start = await ReadImapTaggedAsync(reader, "b", options, ct).ConfigureAwait(false);
        if (!start.Ok)
        {
            throw new TlsProbeException(TlsProbeFailure.StartTlsRefused, $"The IMAP server refused STARTTLS: {ProtocolLineReader.Printable(start.Final)}");
        }

        return greeting;
    }

    private static async Task<(bool Ok, List<string> Lines, string Final)> ReadImapTaggedAsync(ProtocolLineReader reader, string tag, TlsProbeOptions options, CancellationToken ct)
    {
        var lines = new List<string>();
        while (lines.Count < options.MaxReplyLines)
        {
            var line = await reader.ReadLineAsync(ct).ConfigureAwait(false);
            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                return (line.Substring(tag.Length + 1).StartsWith("OK", StringComparison.OrdinalIgnoreCase), lines, line);
            }

            lines.Add(line);
        }

        throw new TlsProbeException(TlsProbeFailure.ResponseTooLarge, $"The IMAP reply has more than {options.MaxReplyLines} lines.");
    }

    private static async Task<string?> Pop3Async(ProtocolLineReader reader, TlsProbeOptions options, CancellationToken ct)
    {
        var greeting = await reader.ReadLineAsync(ct).ConfigureAwait(false);
        if (greeting.StartsWith("-ERR", StringComparison.OrdinalIgnoreCase))
        {
            throw new TlsProbeException(TlsProbeFailure.ServiceRefused, $"The POP3 server refused the session: {ProtocolLineReader.Printable(greeting)}");
        }

        if (!greeting.StartsWith("+OK", StringComparison.OrdinalIgnoreCase))
        {
            throw new TlsProbeException(TlsProbeFailure.ProtocolError, $"Not a POP3 server: its greeting is '{ProtocolLineReader.Printable(greeting)}'.");
        }

        await reader.WriteLineAsync("CAPA", ct).ConfigureAwait(false);
        var capa = await reader.ReadLineAsync(ct).ConfigureAwait(false);
        if (capa.StartsWith("+OK", StringComparison.OrdinalIgnoreCase))
        {
            var advertised = false;
            for (var i = 0; ; i++)
            {
                if (i >= options.MaxReplyLines)
                {
                    throw new TlsProbeException(TlsProbeFailure.ResponseTooLarge, $"The POP3 CAPA reply has more than {options.MaxReplyLines} lines.");
                }

                var line = await reader.ReadLineAsync(ct).ConfigureAwait(false);
                if (line == ".")
                {
                    break;
                }

                advertised |= line.Split(' ')[0].Equals("STLS", StringComparison.OrdinalIgnoreCase);
            }

            if (!advertised)
            {
                throw new TlsProbeException(TlsProbeFailure.StartTlsNotOffered, "The POP3 server does not advertise STLS.");
            }
        }

        // A server without CAPA (RFC 2449) may still know STLS: ask and let its answer decide.
        await reader.WriteLineAsync("STLS", ct).ConfigureAwait(false);
        var start = await reader.ReadLineAsync(ct).ConfigureAwait(false);
        if (!start.StartsWith("+OK", StringComparison.OrdinalIgnoreCase))
        {
            throw new TlsProbeException(TlsProbeFailure.StartTlsRefused, $"The POP3 server refused STLS: {ProtocolLineReader.Printable(start)}");
        }

        return greeting;
    }
}
