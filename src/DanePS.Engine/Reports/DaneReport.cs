using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DanePS.Engine.Checking;
using DanePS.Engine.Dns;

namespace DanePS.Engine.Reports;

/// <summary>
/// The results of one run (Test-DaneEndpoint, Test-DaneMailDomain, Get-TlsaRecord, Invoke-DaneMonitor), collected
/// in the order given, written in the formats other systems read, with one status (and exit code) for the whole run.
/// </summary>
public sealed class DaneReport
{
    private readonly List<ReportMailDomain> _domains = new();
    private readonly List<ReportEndpoint> _endpoints = new();

    /// <summary>A report generated now.</summary>
    public DaneReport()
        : this(DateTimeOffset.UtcNow)
    {
    }

    /// <summary>A report generated at <paramref name="generated"/> (the run timestamp the formats carry).</summary>
    public DaneReport(DateTimeOffset generated) => Generated = generated.ToUniversalTime();

    /// <summary>When the run was, in UTC.</summary>
    public DateTimeOffset Generated { get; }

    /// <summary>How many results the report holds (mail domains, endpoint results and TLSA RRsets).</summary>
    public int Count => _domains.Count + _endpoints.Count;

    /// <summary>The worst status over every result; <see cref="DaneReportStatus.Unknown"/> when there are none.</summary>
    public DaneReportStatus Status => Count == 0
        ? DaneReportStatus.Unknown
        : _domains.Select(d => d.Status).Concat(_endpoints.Select(e => e.Status)).Max();

    /// <summary>The Nagios plugin exit code of <see cref="Status"/>: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.</summary>
    public int ExitCode => (int)Status;

    internal IReadOnlyList<ReportMailDomain> MailDomains => _domains;

    /// <summary>Endpoint results and TLSA RRsets given on their own (not inside a mail domain).</summary>
    internal IReadOnlyList<ReportEndpoint> Endpoints => _endpoints;

    /// <summary>
    /// Every row a person reads: each mail domain's endpoints (a domain without any, such as a failed MX lookup, as
    /// one row of its own), then the endpoints given on their own.
    /// </summary>
    internal IEnumerable<ReportRow> Rows =>
        _domains.SelectMany(d => d.Endpoints.Count == 0 ? new[] { new ReportRow(d, null) } : d.Endpoints.Select(e => new ReportRow(d, e)))
            .Concat(_endpoints.Select(e => new ReportRow(null, e)));

    /// <summary>Adds one endpoint result.</summary>
    public void Add(DaneEndpointResult result) => _endpoints.Add(ReportEndpoint.From(result ?? throw new ArgumentNullException(nameof(result))));

    /// <summary>Adds a mail domain result with its endpoints.</summary>
    public void Add(DaneMailDomainResult result) => _domains.Add(new ReportMailDomain(result ?? throw new ArgumentNullException(nameof(result))));

    /// <summary>Adds a TLSA RRset read by Get-TlsaRecord (no handshake: its records, DNSSEC status and signature expiry).</summary>
    public void Add(TlsaRecordSet recordSet) => _endpoints.Add(ReportEndpoint.From(recordSet ?? throw new ArgumentNullException(nameof(recordSet))));

    /// <summary>The report in <paramref name="format"/>.</summary>
    public string Write(DaneReportFormat format) => format switch
    {
        DaneReportFormat.Json => JsonReportWriter.Write(this),
        DaneReportFormat.Nagios => NagiosReportWriter.Write(this),
        DaneReportFormat.Prometheus => PrometheusReportWriter.Write(this),
        DaneReportFormat.JUnit => JUnitReportWriter.Write(this),
        DaneReportFormat.Markdown => MarkdownReportWriter.Write(this),
        DaneReportFormat.Html => HtmlReportWriter.Write(this),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Not a report format."),
    };

    /// <summary>One line on the whole run: "2 mail domain(s) (1 Fail, 1 Pass), 5 endpoint(s) (1 Fail, 4 Pass); 2 warning(s)".</summary>
    public string Summary
    {
        get
        {
            if (Count == 0)
            {
                return "No results: nothing was checked.";
            }

            static string Counts(IEnumerable<string> verdicts) =>
                string.Join(", ", verdicts.GroupBy(v => v).OrderBy(g => VerdictOrder(g.Key)).Select(g => string.Format(CultureInfo.InvariantCulture, "{0} {1}", g.Count(), g.Key)));

            var rows = Rows.ToList();
            var endpoints = rows.Where(r => r.Endpoint is not null).Select(r => r.VerdictText).ToList();
            var parts = new List<string>();
            if (_domains.Count > 0)
            {
                parts.Add(string.Format(CultureInfo.InvariantCulture, "{0} mail domain(s) ({1})", _domains.Count, Counts(_domains.Select(d => d.Verdict.ToString()))));
            }

            parts.Add(endpoints.Count == 0
                ? "0 endpoint(s)"
                : string.Format(CultureInfo.InvariantCulture, "{0} endpoint(s) ({1})", endpoints.Count, Counts(endpoints)));
            var warnings = _domains.Sum(d => d.Findings.Count(f => f.Severity == FindingSeverity.Warning)) + _endpoints.Sum(e => e.WarningCount);
            return string.Join(", ", parts) + (warnings > 0 ? string.Format(CultureInfo.InvariantCulture, "; {0} warning(s)", warnings) : string.Empty);
        }
    }

    /// <summary>Worst first: the order reports list verdicts in.</summary>
    internal static int VerdictOrder(string verdict) => verdict switch
    {
        nameof(DaneVerdict.DnssecFailure) => 0,
        nameof(DaneVerdict.Fail) => 1,
        nameof(DaneVerdict.NoSuchHost) => 2,
        nameof(DaneVerdict.Unreachable) => 3,
        "LookupFailed" => 4,
        nameof(DaneVerdict.NotDane) => 5,
        "LookupNotPublished" => 6,
        nameof(DaneVerdict.Pass) => 7,
        _ => 8,
    };
}
