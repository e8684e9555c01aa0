using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;

namespace DanePS.Tests.Fixtures.Mail;

/// <summary>
/// SMTP TLS reports (RFC 8460) as reporters send them: Appendix B's example, and the shapes of Google's and
/// Microsoft's daily reports (a DANE policy with failure details, MTA-STS, no-policy-found, several policies), with
/// the report mails (RFC 8460 §5.3) that carry them, written as raw MIME.
/// </summary>
public static class TlsReportSamples
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

    /// <summary>Microsoft's shape: pretty-printed, several policies (sts with a failure, tlsa with one, no-policy-found).</summary>
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

    /// <summary>Google's shape: one line, a DANE (tlsa) policy with its record and tlsa-invalid failures.</summary>
    public static string GoogleDane(string domain = "dane.example", string mx = "mx1.dane.example", string day = "2026-11-30", long failures = 12) =>
        "{\"organization-name\":\"Google Inc.\",\"date-range\":{\"start-datetime\":\"" + day + "T00:00:00Z\",\"end-datetime\":\"" + day + "T23:59:59Z\"},"
        + "\"contact-info\":\"smtp-tls-reporting@google.com\",\"report-id\":\"" + day + "T00:00:00Z_" + domain + "\","
        + "\"policies\":[{\"policy\":{\"policy-type\":\"tlsa\",\"policy-string\":[\"3 1 1 5E79B2A5F7A3C1D1E0F9A8B7C6D5E4F3A2B1C0D9E8F7A6B5C4D3E2F1A0B9C8D7\"],\"policy-domain\":\"" + domain + "\",\"mx-host\":[\"" + mx + "\"]},"
        + "\"summary\":{\"total-successful-session-count\":931,\"total-failure-session-count\":" + failures + "},"
        + "\"failure-details\":[{\"result-type\":\"tlsa-invalid\",\"sending-mta-ip\":\"209.85.220.41\",\"receiving-mx-hostname\":\"" + mx + "\",\"receiving-ip\":\"192.0.2.25\",\"failed-session-count\":" + failures + "}]}]}";

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

    /// <summary>
    /// A report mail as RFC 8460 §5.3 describes it, as raw MIME: multipart/report; report-type="tlsrpt", a text part,
    /// and the report as a base64 attachment of the given type and file name.
    /// </summary>
    public static string ReportMail(string submitter, string domain, string to, byte[] attachment, string contentType, string fileName)
    {
        var boundary = "=_report_" + Guid.NewGuid().ToString("N");
        var base64 = Convert.ToBase64String(attachment);
        var lines = Enumerable.Range(0, (base64.Length + 75) / 76).Select(i => base64.Substring(i * 76, Math.Min(76, base64.Length - (i * 76))));
        var id = Guid.NewGuid().ToString("N");
        return string.Join("\r\n", new[]
        {
            $"From: TLS reporting <noreply-smtp-tls-reporting@{submitter}>",
            $"To: <{to}>",
            $"Subject: Report Domain: {domain} Submitter: {submitter} Report-ID: <{id}@{submitter}>",
            $"Date: {DateTimeOffset.UtcNow:R}",
            $"Message-ID: <{id}@{submitter}>",
            $"TLS-Report-Domain: {domain}",
            $"TLS-Report-Submitter: {submitter}",
            "MIME-Version: 1.0",
            $"Content-Type: multipart/report; report-type=\"tlsrpt\"; boundary=\"{boundary}\"",
            string.Empty,
            "This is a multi-part message in MIME format.",
            $"--{boundary}",
            "Content-Type: text/plain; charset=utf-8",
            string.Empty,
            $"This is an aggregate TLS report from {submitter}.",
            $"--{boundary}",
            $"Content-Type: {contentType}",
            "Content-Transfer-Encoding: base64",
            $"Content-Disposition: attachment; filename=\"{fileName}\"",
            string.Empty,
        }.Concat(lines).Concat(new[] { $"--{boundary}--", string.Empty }));
    }

    /// <summary>The mails the fixture report mailbox holds: three reports (gzip, JSON, application/gzip) and one mail without a report.</summary>
    public static IReadOnlyList<string> MailboxMails(string to) => new[]
    {
        ReportMail("google.com", "dane.example", to, Gzip(GoogleDane()), "application/tlsrpt+gzip", "google.com!dane.example!1764460800!1764547199.json.gz"),
        ReportMail("microsoft.com", "dane.example", to, Encoding.UTF8.GetBytes(MicrosoftMultiple), "application/tlsrpt+json", "microsoft.com!dane.example!1764460800!1764547199.json"),
        ReportMail("company-x.example", "company-y.example", to, Gzip(Rfc8460AppendixB), "application/gzip", "company-x.example!company-y.example!1459468800!1459555199.json.gz"),
        ReportMail("mallory.example", "dane.example", to, Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>"), "text/html", "report.html"),
    };
}
