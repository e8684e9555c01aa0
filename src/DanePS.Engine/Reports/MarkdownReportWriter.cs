using System.Collections.Generic;
using System.Linq;
using System.Text;
using DanePS.Engine.Checking;

namespace DanePS.Engine.Reports;

/// <summary>
/// Markdown (CommonMark with GitHub tables): the status, one table row per endpoint worst first with the record that
/// would fix a failure, then the warnings. Every text is escaped: '|' cannot end a cell, and markup or HTML in a
/// host name or finding shows as text.
/// </summary>
internal static class MarkdownReportWriter
{
    public static string Write(DaneReport report)
    {
        var md = new StringBuilder();
        md.Append("# DANE report: ").Append(NagiosReportWriter.StatusWord(report.Status)).Append("\n\n");
        md.Append(Escape(report.Summary)).Append(". Generated ").Append(JsonReportWriter.Time(report.Generated)).Append(".\n");

        if (report.MailDomains.Count > 0)
        {
            md.Append("\n## Mail domains\n\n| Verdict | Mail domain | MX DNSSEC | Summary |\n| --- | --- | --- | --- |\n");
            foreach (var d in report.MailDomains.OrderBy(d => DaneReport.VerdictOrder(d.Verdict.ToString())))
            {
                Row(md, d.Verdict.ToString(), d.MailDomain, d.MxDnssecStatus ?? string.Empty, d.Summary);
            }
        }

        var rows = report.Rows.Where(r => r.Endpoint is not null).OrderBy(r => DaneReport.VerdictOrder(r.VerdictText)).ToList();
        if (rows.Count > 0)
        {
            md.Append("\n## Endpoints\n\n| Verdict | Endpoint | Mail domain | Summary | Record that would fix it |\n| --- | --- | --- | --- | --- |\n");
            foreach (var r in rows)
            {
                Row(md, r.VerdictText, r.Name, r.MailDomain ?? string.Empty, r.Summary, r.FixRecord ?? string.Empty);
            }
        }

        var findings = report.MailDomains.SelectMany(d => d.Findings).Concat(report.Endpoints.SelectMany(e => e.Findings))
            .Distinct().Where(f => f.Severity == FindingSeverity.Warning).ToList();
        if (findings.Count > 0)
        {
            md.Append("\n## Warnings\n\n| Code | About | Message |\n| --- | --- | --- |\n");
            foreach (var f in findings)
            {
                Row(md, f.Code.ToString(), f.Subject, f.Message);
            }
        }

        return md.ToString();
    }

    private static void Row(StringBuilder md, params string[] cells)
    {
        md.Append("| ").Append(string.Join(" | ", cells.Select(Escape))).Append(" |\n");
    }

    /// <summary>
    /// Text for a table cell: '|' and Markdown punctuation backslash-escaped, HTML's '&lt;', '&gt;' and '&amp;' as
    /// entities, a line break as &lt;br&gt; (a cell is one line).
    /// </summary>
    internal static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            switch (ch)
            {
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '&': sb.Append("&amp;"); break;
                case '\r': break;
                case '\n': sb.Append("<br>"); break;
                case '\\' or '|' or '`' or '*' or '_' or '[' or ']' or '#' or '!' or '~':
                    sb.Append('\\').Append(ch);
                    break;
                default:
                    sb.Append(char.IsControl(ch) ? ' ' : ch);
                    break;
            }
        }

        return sb.ToString();
    }
}
