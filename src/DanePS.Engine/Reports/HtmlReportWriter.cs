using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using DanePS.Engine.Checking;

namespace DanePS.Engine.Reports;

/// <summary>
/// A self-contained HTML page (inline style, no script, no external resource; a Content-Security-Policy that forbids
/// both): the status and the verdict counts first, then one row per endpoint worst first with the TLSA record that
/// would fix each failure, then the warnings. Every text from a result is HTML-encoded.
/// </summary>
internal static class HtmlReportWriter
{
    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem;color:#1a1a1a;background:#fff}
        h1{margin:0 0 .3rem}h2{margin:1.6rem 0 .5rem;font-size:1.2rem}
        header{padding:1rem 1.2rem;border-radius:.4rem;color:#fff}
        header.status-ok{background:#1e7b34}header.status-warning{background:#b26a00}header.status-critical{background:#b3261e}header.status-unknown{background:#5f6368}
        ul.counts{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem}
        ul.counts li{padding:.3rem .7rem;border-radius:1rem;background:#eee;font-weight:600}
        table{border-collapse:collapse;width:100%;font-size:.92rem}
        th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}
        th{background:#f2f2f2}
        td.fix{font-family:ui-monospace,Consolas,monospace;word-break:break-all}
        .badge{display:inline-block;padding:.1rem .45rem;border-radius:.3rem;font-weight:700;color:#fff;background:#5f6368}
        .verdict-pass .badge{background:#1e7b34}.verdict-notdane .badge{background:#5f6368}
        .verdict-fail .badge,.verdict-dnssecfailure .badge,.verdict-unreachable .badge,.verdict-nosuchhost .badge,.verdict-lookupfailed .badge{background:#b3261e}
        tr.status-warning td:first-child{border-left:4px solid #b26a00}tr.status-critical td:first-child{border-left:4px solid #b3261e}tr.status-critical{background:#fdf0ef}tr.status-warning{background:#fdf6e8}
        """;

    public static string Write(DaneReport report)
    {
        var status = NagiosReportWriter.StatusWord(report.Status);
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        h.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
        h.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        h.Append("<title>DANE ").Append(status).Append("</title>\n<style>\n").Append(Style).Append("\n</style>\n</head>\n<body>\n");
        h.Append("<header id=\"status\" class=\"status-").Append(status.ToLowerInvariant()).Append("\" data-status=\"").Append(report.Status).Append("\">\n");
        h.Append("<h1>DANE ").Append(status).Append("</h1>\n<p id=\"summary\">").Append(E(report.Summary)).Append("</p>\n");
        h.Append("<p>Generated <time datetime=\"").Append(JsonReportWriter.Time(report.Generated)).Append("\">").Append(JsonReportWriter.Time(report.Generated)).Append("</time></p>\n</header>\n");

        var rows = report.Rows.ToList();
        h.Append("<section id=\"verdicts\">\n<h2>Verdicts</h2>\n<ul class=\"counts\">\n");
        foreach (var g in rows.GroupBy(r => r.VerdictText).OrderBy(g => DaneReport.VerdictOrder(g.Key)))
        {
            h.Append("<li class=\"verdict-").Append(g.Key.ToLowerInvariant()).Append("\" data-verdict=\"").Append(E(g.Key)).Append("\"><span class=\"badge\">")
                .Append(E(g.Key)).Append("</span> ").Append(g.Count().ToString(CultureInfo.InvariantCulture)).Append("</li>\n");
        }

        h.Append("</ul>\n</section>\n");

        if (report.MailDomains.Count > 0)
        {
            h.Append("<section id=\"mail-domains\">\n<h2>Mail domains</h2>\n<table>\n<thead><tr><th>Verdict</th><th>Mail domain</th><th>MX DNSSEC</th><th>Summary</th></tr></thead>\n<tbody>\n");
            foreach (var d in report.MailDomains.OrderBy(d => DaneReport.VerdictOrder(d.Verdict.ToString())))
            {
                h.Append("<tr class=\"domain-row verdict-").Append(d.Verdict.ToString().ToLowerInvariant()).Append(" status-").Append(d.Status.ToString().ToLowerInvariant())
                    .Append("\" data-verdict=\"").Append(d.Verdict).Append("\"><td><span class=\"badge\">").Append(d.Verdict).Append("</span></td><td>")
                    .Append(E(d.MailDomain)).Append("</td><td>").Append(E(d.MxDnssecStatus ?? string.Empty)).Append("</td><td>").Append(E(d.Summary)).Append("</td></tr>\n");
            }

            h.Append("</tbody>\n</table>\n</section>\n");
        }

        h.Append("<section id=\"endpoints\">\n<h2>Endpoints</h2>\n<table>\n<thead><tr><th>Verdict</th><th>Endpoint</th><th>Mail domain</th><th>Summary</th><th>Record that would fix it</th></tr></thead>\n<tbody>\n");
        foreach (var r in rows.Where(r => r.Endpoint is not null).OrderBy(r => DaneReport.VerdictOrder(r.VerdictText)))
        {
            h.Append("<tr class=\"endpoint-row verdict-").Append(r.VerdictText.ToLowerInvariant()).Append(" status-").Append(r.Status.ToString().ToLowerInvariant())
                .Append("\" data-verdict=\"").Append(E(r.VerdictText)).Append("\"><td><span class=\"badge\">").Append(E(r.VerdictText)).Append("</span></td><td>")
                .Append(E(r.Name)).Append("</td><td>").Append(E(r.MailDomain ?? string.Empty)).Append("</td><td>").Append(E(r.Summary))
                .Append("</td><td class=\"fix\">").Append(E(r.FixRecord ?? string.Empty)).Append("</td></tr>\n");
        }

        h.Append("</tbody>\n</table>\n</section>\n");

        var findings = report.MailDomains.SelectMany(d => d.Findings).Concat(report.Endpoints.SelectMany(e => e.Findings)).Distinct()
            .OrderBy(f => f.Severity == FindingSeverity.Warning ? 0 : 1).ToList();
        if (findings.Count > 0)
        {
            h.Append("<section id=\"findings\">\n<h2>Findings</h2>\n<table>\n<thead><tr><th>Severity</th><th>Code</th><th>About</th><th>Message</th></tr></thead>\n<tbody>\n");
            foreach (var f in findings)
            {
                h.Append("<tr class=\"finding-row severity-").Append(f.Severity.ToString().ToLowerInvariant()).Append("\"><td>").Append(f.Severity).Append("</td><td>").Append(f.Code)
                    .Append("</td><td>").Append(E(f.Subject)).Append("</td><td>").Append(E(f.Message)).Append("</td></tr>\n");
            }

            h.Append("</tbody>\n</table>\n</section>\n");
        }

        h.Append("</body>\n</html>\n");
        return h.ToString();
    }

    /// <summary>HTML-encodes text (&lt; &gt; &amp; " '), control characters as spaces.</summary>
    internal static string E(string text)
    {
        var clean = new string(text.Select(ch => char.IsControl(ch) && ch is not '\n' ? ' ' : ch).ToArray());
        return WebUtility.HtmlEncode(clean);
    }
}
