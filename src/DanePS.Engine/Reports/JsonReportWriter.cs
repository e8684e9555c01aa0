using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using DanePS.Engine.Checking;

namespace DanePS.Engine.Reports;

/// <summary>
/// The report as JSON: camelCase names, enums as their names, times as ISO 8601 UTC. The shape is
/// docs/schemas/dane-report.schema.json (schemaVersion 1); a change of shape is a new schema version.
/// </summary>
internal static class JsonReportWriter
{
    public const int SchemaVersion = 1;

    public static string Write(DaneReport report)
    {
        using var buffer = new MemoryStream();
        // Relaxed escaping keeps the text readable ("—", "ü"); HTML-sensitive characters are still escaped by the
        // writer's rules for quotes and control characters, and consumers parse, not paste, this document.
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", SchemaVersion);
            w.WriteString("generated", Time(report.Generated));
            w.WriteString("status", report.Status.ToString());
            w.WriteNumber("exitCode", report.ExitCode);
            w.WriteString("summary", report.Summary);
            w.WriteStartArray("mailDomains");
            foreach (var d in report.MailDomains)
            {
                w.WriteStartObject();
                w.WriteString("mailDomain", d.MailDomain);
                w.WriteString("verdict", d.Verdict.ToString());
                w.WriteString("status", d.Status.ToString());
                w.WriteString("summary", d.Summary);
                NullableString(w, "mxDnssecStatus", d.MxDnssecStatus);
                w.WriteString("dnssecValidation", d.DnssecValidation);
                w.WriteString("tlsRptStatus", d.TlsRptStatus);
                w.WriteStartArray("mxHosts");
                foreach (var h in d.MxHosts)
                {
                    w.WriteStringValue(h);
                }

                w.WriteEndArray();
                w.WriteNumber("elapsedMs", d.ElapsedMs);
                Findings(w, d.Findings);
                w.WriteStartArray("endpoints");
                foreach (var e in d.Endpoints)
                {
                    Endpoint(w, e);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("endpoints");
            foreach (var e in report.Endpoints)
            {
                Endpoint(w, e);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void Endpoint(Utf8JsonWriter w, ReportEndpoint e)
    {
        w.WriteStartObject();
        w.WriteString("kind", e.Kind);
        w.WriteString("hostName", e.HostName);
        w.WriteNumber("port", e.Port);
        NullableString(w, "mailDomain", e.MailDomain);
        NullableNumber(w, "mxPreference", e.MxPreference);
        NullableString(w, "address", e.Address);
        NullableString(w, "publicKey", e.PublicKey);
        NullableString(w, "startTls", e.StartTls);
        NullableString(w, "verdict", e.Verdict?.ToString());
        NullableString(w, "lookupOutcome", e.LookupOutcome);
        w.WriteString("status", e.Status.ToString());
        w.WriteString("summary", e.Summary);
        w.WriteString("tlsaOwnerName", e.TlsaOwnerName);
        NullableString(w, "tlsaDnssecStatus", e.TlsaDnssecStatus);
        w.WriteStartArray("records");
        foreach (var r in e.Records)
        {
            w.WriteStartObject();
            w.WriteString("record", r.Record);
            NullableString(w, "outcome", r.Outcome);
            NullableString(w, "reason", r.Reason);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        NullableString(w, "matchedRecord", e.MatchedRecord);
        NullableNumber(w, "matchedDepth", e.MatchedDepth);
        NullableString(w, "fixRecord", e.FixRecord);
        NullableString(w, "certificateNotAfter", e.CertificateNotAfter is { } c ? Time(c) : null);
        NullableString(w, "signatureExpiration", e.SignatureExpiration is { } s ? Time(s) : null);
        NullableString(w, "connectionFailure", e.ConnectionFailure);
        if (e.ElapsedMs is { } ms)
        {
            w.WriteNumber("elapsedMs", ms);
        }
        else
        {
            w.WriteNull("elapsedMs");
        }

        Findings(w, e.Findings);
        w.WriteEndObject();
    }

    private static void Findings(Utf8JsonWriter w, IReadOnlyList<DaneFinding> findings)
    {
        w.WriteStartArray("findings");
        foreach (var f in findings)
        {
            w.WriteStartObject();
            w.WriteString("code", f.Code.ToString());
            w.WriteString("severity", f.Severity.ToString());
            w.WriteString("subject", f.Subject);
            w.WriteString("message", f.Message);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void NullableString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void NullableNumber(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    internal static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
