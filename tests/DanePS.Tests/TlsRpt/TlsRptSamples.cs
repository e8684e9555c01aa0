using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using MimeKit;

namespace DanePS.Tests.TlsRpt;

/// <summary>
/// Report files as reporters send them: RFC 8460 Appendix B's example, and the shapes of Google's and Microsoft's
/// daily reports (DANE policy with failure details, MTA-STS, no-policy-found, several policies in one report),
/// raw, gzipped and as mail attachments; and hostile ones.
/// </summary>
internal static class TlsRptSamples
{
    /// <summary>RFC 8460 Appendix B, as printed (its additional-information URI unwrapped; failure-error-code as there).</summary>
    public const string Rfc8460AppendixB = """
        {
          "organization-name": "Company-X",
          "date-range": {
            "start-datetime": "2016-04-01T00:00:00Z",
            "end-datetime": "2016-04-01T23:59:59Z"
          },
          "contact-info": "sts-reporting@company-x.example",
          "report-id": "5065427c-23d3-47ca-b6e0-946ea0e8c4be",
          "policies": [{
            "policy": {
              "policy-type": "sts",
              "policy-string": ["version: STSv1","mode: testing",
                    "mx: *.mail.company-y.example","max_age: 86400"],
              "policy-domain": "company-y.example",
              "mx-host": ["*.mail.company-y.example"]
            },
            "summary": {
              "total-successful-session-count": 5326,
              "total-failure-session-count": 303
            },
            "failure-details": [{
              "result-type": "certificate-expired",
              "sending-mta-ip": "2001:db8:abcd:0012::1",
              "receiving-mx-hostname": "mx1.mail.company-y.example",
              "failed-session-count": 100
            }, {
              "result-type": "starttls-not-supported",
              "sending-mta-ip": "2001:db8:abcd:0013::1",
              "receiving-mx-hostname": "mx2.mail.company-y.example",
              "receiving-ip": "203.0.113.56",
              "failed-session-count": 200,
              "additional-information": "https://reports.company-x.example/report_info?id=5065427c-23d3#StarttlsNotSupported"
            }, {
              "result-type": "validation-failure",
              "sending-mta-ip": "198.51.100.62",
              "receiving-ip": "203.0.113.58",
              "receiving-mx-hostname": "mx-backup.mail.company-y.example",
              "failed-session-count": 3,
              "failure-error-code": "X509_V_ERR_PROOF_OF_POSSESSION"
            }]
          }]
        }
        """;

    /// <summary>Google's shape: one line, a DANE (tlsa) policy with its records and tlsa-invalid failures.</summary>
    public static string GoogleDane(string domain = "dane.example", string mx = "mx1.dane.example", string day = "2026-11-30", long failures = 12) =>
        "{\"organization-name\":\"Google Inc.\",\"date-range\":{\"start-datetime\":\"" + day + "T00:00:00Z\",\"end-datetime\":\"" + day + "T23:59:59Z\"},"
        + "\"contact-info\":\"smtp-tls-reporting@google.com\",\"report-id\":\"" + day + "T00:00:00Z_" + domain + "\","
        + "\"policies\":[{\"policy\":{\"policy-type\":\"tlsa\",\"policy-string\":[\"3 1 1 5E79B2A5F7A3C1D1E0F9A8B7C6D5E4F3A2B1C0D9E8F7A6B5C4D3E2F1A0B9C8D7\"],\"policy-domain\":\"" + domain + "\",\"mx-host\":[\"" + mx + "\"]},"
        + "\"summary\":{\"total-successful-session-count\":931,\"total-failure-session-count\":" + failures + "},"
        + "\"failure-details\":[{\"result-type\":\"tlsa-invalid\",\"sending-mta-ip\":\"209.85.220.41\",\"receiving-mx-hostname\":\"" + mx + "\",\"receiving-ip\":\"192.0.2.25\",\"failed-session-count\":" + failures + "}]}]}";

    /// <summary>Microsoft's shape: pretty-printed, several policies (sts with a failure, tlsa, no-policy-found).</summary>
    public const string MicrosoftMultiple = """
        {
          "organization-name": "Microsoft Corporation",
          "date-range": { "start-datetime": "2026-11-30T00:00:00Z", "end-datetime": "2026-11-30T23:59:59Z" },
          "contact-info": "tlsrpt-noreply@microsoft.com",
          "report-id": "133775000000000000+dane.example",
          "policies": [
            {
              "policy": { "policy-type": "sts", "policy-string": ["version: STSv1", "mode: enforce", "mx: mx1.dane.example", "max_age: 604800"], "policy-domain": "dane.example", "mx-host": ["mx1.dane.example"] },
              "summary": { "total-successful-session-count": 40, "total-failure-session-count": 2 },
              "failure-details": [ { "result-type": "certificate-host-mismatch", "sending-mta-ip": "40.107.22.51", "receiving-mx-hostname": "mx1.dane.example", "receiving-mx-helo": "mx1.dane.example", "receiving-ip": "192.0.2.25", "failed-session-count": 2, "failure-reason-code": "CertificateHostMismatch" } ]
            },
            {
              "policy": { "policy-type": "tlsa", "policy-string": ["3 1 1 5E79B2A5F7A3C1D1E0F9A8B7C6D5E4F3A2B1C0D9E8F7A6B5C4D3E2F1A0B9C8D7"], "policy-domain": "dane.example", "mx-host": ["mx1.dane.example"] },
              "summary": { "total-successful-session-count": 17, "total-failure-session-count": 3 },
              "failure-details": [ { "result-type": "dnssec-invalid", "sending-mta-ip": "40.107.22.52", "receiving-mx-hostname": "mx1.dane.example", "failed-session-count": 3 } ]
            },
            {
              "policy": { "policy-type": "no-policy-found", "policy-domain": "other.example" },
              "summary": { "total-successful-session-count": 8, "total-failure-session-count": 0 }
            }
          ]
        }
        """;

    public static byte[] Gzip(string text) => Gzip(Encoding.UTF8.GetBytes(text));

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

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
