using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using DanePS.Tests.Fixtures.Mail;
using MimeKit;

namespace DanePS.Tests.TlsRpt;

/// <summary>
/// Report files as reporters send them: RFC 8460 Appendix B's example, and the shapes of Google's and Microsoft's
/// daily reports (DANE policy with failure details, MTA-STS, no-policy-found, several policies in one report),
/// raw, gzipped and as mail attachments; and hostile ones.
/// </summary>
internal static class TlsRptSamples
{
    /// <summary>RFC 8460 Appendix B's example (see <see cref="TlsReportSamples"/>).</summary>
    public const string Rfc8460AppendixB = TlsReportSamples.Rfc8460AppendixB;

    /// <summary>Microsoft's shape: several policies (see <see cref="TlsReportSamples"/>).</summary>
    public const string MicrosoftMultiple = TlsReportSamples.MicrosoftMultiple;

    /// <summary>Google's shape: a DANE policy with tlsa-invalid failures (see <see cref="TlsReportSamples"/>).</summary>
    public static string GoogleDane(string domain = "dane.example", string mx = "mx1.dane.example", string day = "2026-11-30", long failures = 12) =>
        TlsReportSamples.GoogleDane(domain, mx, day, failures);

    public static byte[] Gzip(string text) => TlsReportSamples.Gzip(text);

    /// <summary>A report mail as RFC 8460 §5.3 describes it: multipart/report, report-type=tlsrpt, the report attached.</summary>
    public static MimeMessage Mail(string reporter, string domain, byte[] attachment, string mediaType = "application", string mediaSubtype = "tlsrpt+gzip", string? fileName = null)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(reporter, "noreply-smtp-tls-reporting@" + new string(reporter.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray()) + ".example"));
        message.To.Add(new MailboxAddress(null, "tls-reports@" + domain));
        message.Subject = $"Report Domain: {domain} Submitter: {reporter} Report-ID: <{Guid.NewGuid()}>";
        message.Headers.Add("TLS-Report-Domain", domain);
        message.Headers.Add("TLS-Report-Submitter", reporter);
        var report = new Multipart("report");
        report.ContentType.Parameters.Add("report-type", "tlsrpt");
        report.Add(new TextPart("plain") { Text = $"This is an aggregate TLS report from {reporter}." });
        report.Add(new MimePart(mediaType, mediaSubtype)
        {
            Content = new MimeContent(new MemoryStream(attachment)),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = fileName ?? $"{reporter.Split(' ')[0].ToLowerInvariant()}!{domain}!1764460800!1764547199.json.gz",
        });
        message.Body = report;
        return message;
    }

    public static byte[] MailBytes(MimeMessage message)
    {
        using var output = new MemoryStream();
        message.WriteTo(output);
        return output.ToArray();
    }

    /// <summary>A small gzip file that expands to more than <paramref name="bytes"/> of JSON whitespace inside a valid start.</summary>
    public static byte[] GzipBomb(long bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            var head = Encoding.UTF8.GetBytes("{\"organization-name\":\"");
            gzip.Write(head);
            var block = new byte[1 << 20];
            Array.Fill(block, (byte)'A');
            for (long written = 0; written < bytes; written += block.Length)
            {
                gzip.Write(block);
            }

            gzip.Write(Encoding.UTF8.GetBytes("\"}"));
        }

        return output.ToArray();
    }

    /// <summary>A report whose one policy has <paramref name="count"/> failure-details entries (about 160 bytes each).</summary>
    public static string ManyFailures(int count)
    {
        var text = new StringBuilder(count * 170);
        text.Append("{\"organization-name\":\"Flood\",\"date-range\":{\"start-datetime\":\"2026-11-30T00:00:00Z\",\"end-datetime\":\"2026-11-30T23:59:59Z\"},\"report-id\":\"flood\",\"policies\":[{\"policy\":{\"policy-type\":\"tlsa\",\"policy-domain\":\"dane.example\"},\"summary\":{\"total-successful-session-count\":0,\"total-failure-session-count\":1},\"failure-details\":[");
        for (var i = 0; i < count; i++)
        {
            text.Append(i == 0 ? string.Empty : ",").Append("{\"result-type\":\"tlsa-invalid\",\"sending-mta-ip\":\"198.51.100.1\",\"receiving-mx-hostname\":\"mx1.dane.example\",\"receiving-ip\":\"192.0.2.25\",\"failed-session-count\":1}");
        }

        return text.Append("]}]}").ToString();
    }
}
