using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using DanePS.Engine.Checking;

namespace DanePS.Engine.Reports;

/// <summary>
/// JUnit XML as CI servers read it (the Ant/Jenkins "testsuites" shape): one test suite per mail domain, one for the
/// endpoints given on their own, one test case per endpoint. Fail, DnssecFailure, Unreachable and NoSuchHost are
/// failures with the summary as message and the fix and findings as text; NotDane is skipped (DANE does not apply);
/// warnings are the test case's system-out.
/// </summary>
internal static class JUnitReportWriter
{
    public static string Write(DaneReport report)
    {
        var suites = report.MailDomains.Select(d => (Name: "DANE " + d.MailDomain, Class: "DANE." + d.MailDomain, Rows: Rows(d)))
            .Concat(report.Endpoints.Count > 0 ? new[] { (Name: "DANE endpoints", Class: "DANE.endpoints", Rows: report.Endpoints.Select(e => new ReportRow(null, e)).ToList()) } : Enumerable.Empty<(string Name, string Class, List<ReportRow> Rows)>())
            .ToList();
        var all = suites.SelectMany(s => s.Rows).ToList();
        var timestamp = report.Generated.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

        var buffer = new StringBuilder();
        using (var w = XmlWriter.Create(new StringWriter(buffer, CultureInfo.InvariantCulture), new XmlWriterSettings { Indent = true, OmitXmlDeclaration = true }))
        {
            w.WriteStartElement("testsuites");
            w.WriteAttributeString("name", "DANE");
            Counts(w, all);
            w.WriteAttributeString("timestamp", timestamp);
            var id = 0;
            foreach (var (name, className, rows) in suites)
            {
                w.WriteStartElement("testsuite");
                w.WriteAttributeString("name", Clean(name));
                w.WriteAttributeString("id", (id++).ToString(CultureInfo.InvariantCulture));
                Counts(w, rows);
                w.WriteAttributeString("timestamp", timestamp);
                foreach (var row in rows)
                {
                    TestCase(w, Clean(className), row);
                }

                w.WriteEndElement();
            }

            w.WriteEndElement();
        }

        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + buffer.ToString().Replace("\r\n", "\n") + "\n";
    }

    private static List<ReportRow> Rows(ReportMailDomain d) =>
        d.Endpoints.Count == 0 ? new List<ReportRow> { new(d, null) } : d.Endpoints.Select(e => new ReportRow(d, e)).ToList();

    private static void Counts(XmlWriter w, List<ReportRow> rows)
    {
        w.WriteAttributeString("tests", rows.Count.ToString(CultureInfo.InvariantCulture));
        w.WriteAttributeString("failures", rows.Count(r => r.Status == DaneReportStatus.Critical).ToString(CultureInfo.InvariantCulture));
        w.WriteAttributeString("errors", "0");
        w.WriteAttributeString("skipped", rows.Count(Skipped).ToString(CultureInfo.InvariantCulture));
        w.WriteAttributeString("time", Seconds(rows.Sum(r => r.Endpoint?.ElapsedMs ?? r.Domain?.ElapsedMs ?? 0)));
    }

    private static bool Skipped(ReportRow r) => r.Status != DaneReportStatus.Critical && r.VerdictText is nameof(DaneVerdict.NotDane) or "LookupNotPublished";

    private static void TestCase(XmlWriter w, string className, ReportRow row)
    {
        w.WriteStartElement("testcase");
        w.WriteAttributeString("name", Clean(row.Name));
        w.WriteAttributeString("classname", className);
        w.WriteAttributeString("time", Seconds(row.Endpoint?.ElapsedMs ?? row.Domain?.ElapsedMs ?? 0));
        if (row.Status == DaneReportStatus.Critical)
        {
            w.WriteStartElement("failure");
            w.WriteAttributeString("message", Clean($"{row.VerdictText}: {row.Summary}"));
            w.WriteAttributeString("type", row.VerdictText);
            var body = new List<string> { row.Summary };
            if (row.FixRecord is { } fix)
            {
                body.Add("The record that would match the server now: " + fix);
            }

            body.AddRange(row.Findings.Select(f => $"{f.Severity} {f.Code}: {f.Message}"));
            w.WriteString(Clean(string.Join("\n", body)));
            w.WriteEndElement();
        }
        else if (Skipped(row))
        {
            w.WriteStartElement("skipped");
            w.WriteAttributeString("message", Clean($"{row.VerdictText}: {row.Summary}"));
            w.WriteEndElement();
        }

        var notes = row.Findings.Where(f => f.Severity == FindingSeverity.Warning).Select(f => $"Warning {f.Code}: {f.Message}").ToList();
        if (row.Status != DaneReportStatus.Critical && notes.Count > 0)
        {
            w.WriteElementString("system-out", Clean(string.Join("\n", notes)));
        }

        w.WriteEndElement();
    }

    private static string Seconds(double ms) => (ms / 1000).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Text XML 1.0 can hold: characters it forbids (most control characters) become U+FFFD.</summary>
    internal static string Clean(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (char.IsHighSurrogate(ch) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(ch).Append(text[++i]);
            }
            else
            {
                sb.Append(XmlConvert.IsXmlChar(ch) ? ch : '\uFFFD');
            }
        }

        return sb.ToString();
    }
}
