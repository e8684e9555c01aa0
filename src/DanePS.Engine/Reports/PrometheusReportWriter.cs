using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using DanePS.Engine.Checking;

namespace DanePS.Engine.Reports;

/// <summary>
/// The Prometheus text exposition format (version 0.0.4) for node_exporter's textfile collector: each metric family
/// once, with its HELP and TYPE lines and all its samples together; label values escaped (\\, \", \n); times as Unix
/// timestamps in seconds. No sample timestamps: the textfile collector refuses them.
/// </summary>
internal static class PrometheusReportWriter
{
    private static readonly string[] Verdicts = Enum.GetNames(typeof(DaneVerdict));

    public static string Write(DaneReport report)
    {
        var text = new StringBuilder();
        var rows = report.Rows.Where(r => r.Endpoint is not null).Select(r => r.Endpoint!).ToList();
        var endpoints = Distinct(rows.Where(e => e.Verdict is not null), EndpointLabels);
        var rrsets = Distinct(rows, RecordSetLabels);

        Family(text, "dane_report_timestamp_seconds", "When the DANE checks of this report ran, as a Unix timestamp.",
            new[] { (string.Empty, Seconds(report.Generated)) });
        Family(text, "dane_report_status", "Status of the whole report: 0 OK, 1 warning, 2 critical, 3 unknown (nothing checked); the Nagios exit code.",
            new[] { (string.Empty, (double)report.ExitCode) });

        Family(text, "dane_endpoint_verdict", "DANE verdict of one endpoint (host, port, address, public key): 1 for the verdict it has, 0 for each other verdict.",
            endpoints.SelectMany(e => Verdicts.Select(v => (Labels(EndpointLabels(e).Append(("verdict", v))), e.Verdict.ToString() == v ? 1d : 0d))));
        Family(text, "dane_endpoint_status", "Status of one endpoint: 0 OK, 1 warning, 2 critical.",
            endpoints.Select(e => (Labels(EndpointLabels(e)), (double)e.Status)));
        Family(text, "dane_endpoint_warnings", "Warning findings about one endpoint (stale or too many records, expiring certificates, ...).",
            endpoints.Select(e => (Labels(EndpointLabels(e)), (double)e.WarningCount)));
        Family(text, "dane_endpoint_certificate_expiry_timestamp_seconds", "When the certificate the endpoint presents expires (notAfter), as a Unix timestamp.",
            endpoints.Where(e => e.CertificateNotAfter is not null).Select(e => (Labels(EndpointLabels(e)), Seconds(e.CertificateNotAfter!.Value))));
        Family(text, "dane_tlsa_records", "TLSA records published for the host and port.",
            rrsets.Select(e => (Labels(RecordSetLabels(e)), (double)e.Records.Count)));
        Family(text, "dane_tlsa_signature_expiry_timestamp_seconds", "When the earliest RRSIG over the TLSA RRset expires, as a Unix timestamp.",
            rrsets.Where(e => e.SignatureExpiration is not null).Select(e => (Labels(RecordSetLabels(e)), Seconds(e.SignatureExpiration!.Value))));
        Family(text, "dane_mail_domain_verdict", "DANE verdict of a mail domain over all its MX hosts: 1 for the verdict it has, 0 for each other verdict.",
            report.MailDomains.GroupBy(d => d.MailDomain, StringComparer.OrdinalIgnoreCase).Select(g => g.First())
                .SelectMany(d => Verdicts.Select(v => (Labels(new[] { ("mail_domain", d.MailDomain), ("verdict", v) }), d.Verdict.ToString() == v ? 1d : 0d))));
        return text.ToString();
    }

    private static IEnumerable<(string Name, string Value)> EndpointLabels(ReportEndpoint e) => new[]
    {
        ("mail_domain", e.MailDomain ?? string.Empty),
        ("host", e.HostName),
        ("port", e.Port.ToString(CultureInfo.InvariantCulture)),
        ("address", e.Address ?? string.Empty),
        ("public_key", e.PublicKey ?? string.Empty),
    };

    private static IEnumerable<(string Name, string Value)> RecordSetLabels(ReportEndpoint e) => new[]
    {
        ("host", e.HostName),
        ("port", e.Port.ToString(CultureInfo.InvariantCulture)),
        ("owner", e.TlsaOwnerName),
    };

    /// <summary>One sample per label set: the same endpoint piped twice, or an MX host shared by two domains, once.</summary>
    private static List<ReportEndpoint> Distinct(IEnumerable<ReportEndpoint> endpoints, Func<ReportEndpoint, IEnumerable<(string Name, string Value)>> labels)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return endpoints.Where(e => seen.Add(Labels(labels(e)))).ToList();
    }

    private static void Family(StringBuilder text, string name, string help, IEnumerable<(string Labels, double Value)> samples)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
        text.Append("# TYPE ").Append(name).Append(" gauge\n");
        foreach (var (labels, value) in samples)
        {
            text.Append(name).Append(labels).Append(' ').Append(Number(value)).Append('\n');
        }
    }

    private static string Labels(IEnumerable<(string Name, string Value)> labels)
    {
        var list = labels.ToList();
        return list.Count == 0 ? string.Empty : "{" + string.Join(",", list.Select(l => l.Name + "=\"" + EscapeLabelValue(l.Value) + "\"")) + "}";
    }

    /// <summary>Label values: backslash, double quote and line feed escaped, as the exposition format requires.</summary>
    internal static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    /// <summary>HELP text: backslash and line feed escaped.</summary>
    internal static string EscapeHelp(string value) => value.Replace("\\", "\\\\").Replace("\n", "\\n");

    private static double Seconds(DateTimeOffset time) => time.ToUnixTimeSeconds();

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
