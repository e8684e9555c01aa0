using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using MimeKit;

namespace DanePS.Engine.TlsRpt;

/// <summary>
/// Finds reports in files and mails: <c>.json</c>, <c>.json.gz</c> (told by content, not name), and mails (<c>.eml</c>)
/// with report attachments. Attachments of the RFC 8460 §5.3 types (<c>application/tlsrpt+gzip</c>,
/// <c>application/tlsrpt+json</c>) are read; only when a mail has none of those is a gzip or JSON attachment named
/// <c>*.json.gz</c>/<c>*.json</c> read instead, as some reporters send <c>application/gzip</c>. Outlook <c>.msg</c>
/// files are refused: MimeKit reads MIME only.
/// </summary>
public static class TlsRptReader
{
    private static readonly string[] GzipTypes = { "application/gzip", "application/x-gzip", "application/octet-stream" };
    private static readonly string[] JsonTypes = { "application/json", "text/json", "application/octet-stream", "text/plain" };

    /// <summary>Reads a file: a report in JSON or gzip, or a mail that carries reports.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public static IReadOnlyList<TlsRptItem> ReadFile(string path, TlsRptReadOptions options)
    {
        if (path is null)
        {
            throw new ArgumentNullException(nameof(path));
        }

        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        options.Validate();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var head = new byte[8];
        var headLength = stream.Read(head, 0, head.Length);
        stream.Position = 0;

        // An OLE compound file (D0 CF 11 E0): Outlook's .msg, which is not MIME.
        if (headLength >= 4 && head[0] == 0xD0 && head[1] == 0xCF && head[2] == 0x11 && head[3] == 0xE0)
        {
            return new[] { TlsRptItem.Failed(new TlsRptFormatException(TlsRptProblem.UnsupportedFormat, path,
                "an Outlook .msg file, which DanePS cannot read (MimeKit reads MIME mail only): save the mail as .eml, or read the mailbox with -ImapServer.")) };
        }

        var isGzip = headLength >= 2 && head[0] == 0x1F && head[1] == 0x8B;
        var firstChar = head.Take(headLength).SkipWhile(b => b is 0x20 or 0x09 or 0x0A or 0x0D or 0xEF or 0xBB or 0xBF).Select(b => (int)b).DefaultIfEmpty(-1).First();
        if (isGzip || firstChar is '{' or '[' || path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            var bytes = ReadBounded(stream, options.MaxReportBytes);
            if (bytes is null)
            {
                return new[] { TlsRptItem.Failed(TlsRptParser.TooLarge(path, options, isGzip ? "the gzip file is larger than" : "the report is larger than")) };
            }

            return new[] { Parse(() => TlsRptParser.Parse(bytes, path, options)) };
        }

        if (stream.Length > options.MaxMessageBytes)
        {
            return new[] { TlsRptItem.Failed(new TlsRptFormatException(TlsRptProblem.TooLarge, path, $"the mail is larger than the limit of {options.MaxMessageBytes} bytes; it is not read.")) };
        }

        MimeMessage message;
        try
        {
            message = MimeMessage.Load(stream, CancellationToken.None);
        }
        catch (FormatException ex)
        {
            return new[] { TlsRptItem.Failed(new TlsRptFormatException(TlsRptProblem.NoReportInMessage, path, "neither a report (JSON or gzip) nor a MIME mail: " + ex.Message, ex)) };
        }

        return ReadMessage(message, path, options);
    }

    /// <summary>Reads every report attachment of a mail (see the type's remarks for which parts count).</summary>
    internal static IReadOnlyList<TlsRptItem> ReadMessage(MimeMessage message, string source, TlsRptReadOptions options)
    {
        var parts = message.BodyParts.OfType<MimePart>().ToList();
        var reports = parts.Where(p => p.ContentType.IsMimeType("application", "tlsrpt+gzip") || p.ContentType.IsMimeType("application", "tlsrpt+json")).ToList();
        if (reports.Count == 0)
        {
            // Reporters that label the attachment application/gzip (or octet-stream) but name it *.json.gz.
            reports = parts.Where(p =>
                (GzipTypes.Any(t => p.ContentType.MimeType.Equals(t, StringComparison.OrdinalIgnoreCase)) && NameEndsWith(p, ".json.gz", ".gz"))
                || (JsonTypes.Any(t => p.ContentType.MimeType.Equals(t, StringComparison.OrdinalIgnoreCase)) && NameEndsWith(p, ".json"))).ToList();
        }

        if (reports.Count == 0)
        {
            var types = string.Join(", ", parts.Select(p => p.ContentType.MimeType + (p.FileName is null ? string.Empty : " (" + p.FileName + ")")));
            return new[] { TlsRptItem.Failed(new TlsRptFormatException(TlsRptProblem.NoReportInMessage, source,
                $"the mail has no application/tlsrpt+gzip or application/tlsrpt+json attachment (nor a *.json.gz or *.json file); its parts are: {(types.Length == 0 ? "none" : types)}.")) };
        }

        var items = new List<TlsRptItem>();
        foreach (var part in reports)
        {
            var where = reports.Count == 1 && part.FileName is null ? source : $"{source} [{part.FileName ?? part.ContentType.MimeType}]";
            if (part.Content is null)
            {
                items.Add(TlsRptItem.Failed(new TlsRptFormatException(TlsRptProblem.NotAReport, where, "the attachment is empty.")));
                continue;
            }

            using var decoded = new BoundedMemoryStream(options.MaxReportBytes);
            try
            {
                part.Content.DecodeTo(decoded);
            }
            catch (BoundedMemoryStream.LimitException)
            {
                items.Add(TlsRptItem.Failed(TlsRptParser.TooLarge(where, options, "the attachment is larger than")));
                continue;
            }

            var bytes = decoded.ToArray();
            var gzip = part.ContentType.MediaSubtype.EndsWith("gzip", StringComparison.OrdinalIgnoreCase) || TlsRptParser.IsGzip(bytes);
            items.Add(Parse(() => gzip ? TlsRptParser.ParseGzip(bytes, where, options) : TlsRptParser.ParseJson(bytes, where, options)));
        }

        return items;
    }

    private static bool NameEndsWith(MimePart part, params string[] endings) =>
        part.FileName is { } name && endings.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    private static TlsRptItem Parse(Func<TlsRptReport> parse)
    {
        try
        {
            return TlsRptItem.Read(parse());
        }
        catch (TlsRptFormatException ex)
        {
            return TlsRptItem.Failed(ex);
        }
    }

    // At most limit bytes; null when there are more (only limit + 1 are ever read).
    private static byte[]? ReadBounded(Stream stream, long limit)
    {
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (output.Length + read > limit)
            {
                return null;
            }

            output.Write(buffer, 0, read);
        }

        return output.ToArray();
    }

    /// <summary>A memory stream that refuses to grow past a limit (a decoded attachment).</summary>
    private sealed class BoundedMemoryStream : MemoryStream
    {
        private readonly long _limit;

        public BoundedMemoryStream(long limit) => _limit = limit;

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Length + count > _limit)
            {
                throw new LimitException();
            }

            base.Write(buffer, offset, count);
        }

        public override void WriteByte(byte value)
        {
            if (Length + 1 > _limit)
            {
                throw new LimitException();
            }

            base.WriteByte(value);
        }

        internal sealed class LimitException : Exception
        {
        }
    }
}
