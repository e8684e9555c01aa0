using System;
using System.Globalization;
using System.Text.Json;

namespace DanePS.Engine.Alerts;

/// <summary>The alert as JSON data: what the generic webhook sends. Field names are camelCase and stable.</summary>
public static class AlertJson
{
    /// <summary>The JSON document for a message about a subject.</summary>
    public static string Write(AlertMessage message, AlertSubject subject, DateTimeOffset time)
    {
        if (message is null)
        {
            throw new ArgumentNullException(nameof(message));
        }

        if (subject is null)
        {
            throw new ArgumentNullException(nameof(subject));
        }

        return HttpAlertPost.Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("kind", message.Kind.ToString());
            w.WriteString("severity", message.Severity.ToString());
            w.WriteString("subject", message.Subject);
            w.WriteString("text", message.ToPlainText());
            w.WriteString("time", time.ToString("o", CultureInfo.InvariantCulture));
            w.WriteStartObject("endpoint");
            w.WriteString("key", subject.Key);
            w.WriteString("hostName", subject.HostName);
            if (subject.Port is { } port)
            {
                w.WriteNumber("port", port);
            }
            else
            {
                w.WriteNull("port");
            }

            w.WriteString("mailDomain", subject.MailDomain);
            w.WriteString("verdict", subject.Verdict);
            w.WriteString("severity", subject.Severity.ToString());
            w.WriteString("fault", subject.Fault);
            w.WriteString("tlsaOwnerName", subject.TlsaOwnerName);
            w.WriteString("dnssecStatus", subject.DnssecStatus);
            w.WriteStartArray("publishedRecords");
            foreach (var record in subject.PublishedRecords)
            {
                w.WriteStringValue(record);
            }

            w.WriteEndArray();
            w.WriteStartArray("wouldMatch");
            foreach (var record in subject.WouldMatch)
            {
                w.WriteStringValue(record);
            }

            w.WriteEndArray();
            w.WriteStartArray("checks");
            foreach (var check in subject.Checks)
            {
                w.WriteStartObject();
                w.WriteString("address", check.Address);
                w.WriteString("keyType", check.KeyType);
                w.WriteString("verdict", check.Verdict);
                w.WriteString("summary", check.Summary);
                w.WriteString("wouldMatch", check.WouldMatch);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("findings");
            foreach (var finding in subject.Findings)
            {
                w.WriteStartObject();
                w.WriteString("code", finding.Code);
                w.WriteString("severity", finding.Severity.ToString());
                w.WriteString("about", finding.About);
                w.WriteString("message", finding.Message);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }
}
