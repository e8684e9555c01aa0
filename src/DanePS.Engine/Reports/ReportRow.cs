using System.Collections.Generic;
using System.Linq;
using DanePS.Engine.Checking;

namespace DanePS.Engine.Reports;

/// <summary>
/// One line of a table, one test case, one Nagios long-output line: an endpoint (with the mail domain it was checked
/// for, if any), or a mail domain that has no endpoint to show (its MX lookup failed).
/// </summary>
internal sealed class ReportRow
{
    public ReportRow(ReportMailDomain? domain, ReportEndpoint? endpoint)
    {
        Domain = domain;
        Endpoint = endpoint;
    }

    public ReportMailDomain? Domain { get; }

    public ReportEndpoint? Endpoint { get; }

    public string Name => Endpoint?.Name ?? Domain!.MailDomain;

    public string? MailDomain => Domain?.MailDomain ?? Endpoint?.MailDomain;

    public string VerdictText => Endpoint?.VerdictText ?? Domain!.Verdict.ToString();

    public DaneReportStatus Status => Endpoint?.Status ?? Domain!.Status;

    public string Summary => Endpoint?.Summary ?? Domain!.Summary;

    public string? FixRecord => Endpoint?.FixRecord;

    public IReadOnlyList<DaneFinding> Findings => Endpoint?.Findings ?? Domain!.Findings;

    public int WarningCount => Findings.Count(f => f.Severity == FindingSeverity.Warning);
}
