using System.Collections.Generic;
using System.Linq;
using DanePS.Engine.Checking;

namespace DanePS.Engine.Reports;

/// <summary>A mail domain as a report shows it: its own verdict, then its endpoints as rows.</summary>
internal sealed class ReportMailDomain
{
    public ReportMailDomain(DaneMailDomainResult r)
    {
        MailDomain = r.MailDomain;
        Verdict = r.Verdict;
        Summary = r.Summary;
        MxDnssecStatus = r.MxDnssecStatus?.ToString();
        MxHosts = r.MxHosts.ToList();
        DnssecValidation = r.DnssecValidation.ToString();
        TlsRptStatus = r.TlsRptStatus.ToString();
        Endpoints = r.Endpoints.Select(ReportEndpoint.From).ToList();
        Findings = r.Findings.ToList();
        ElapsedMs = r.ElapsedMs;
        Status = ReportEndpoint.StatusOf(r.Verdict, Findings);
    }

    public string MailDomain { get; }

    public DaneVerdict Verdict { get; }

    public string Summary { get; }

    public string? MxDnssecStatus { get; }

    public IReadOnlyList<string> MxHosts { get; }

    /// <summary>Who validated DNSSEC for the domain's answers: Resolver or Local.</summary>
    public string DnssecValidation { get; }

    /// <summary>Whether the domain publishes a usable TLS-RPT record (RFC 8460).</summary>
    public string TlsRptStatus { get; }

    public IReadOnlyList<ReportEndpoint> Endpoints { get; }

    /// <summary>Every finding of the domain and its endpoints, each once (as the result holds them).</summary>
    public IReadOnlyList<DaneFinding> Findings { get; }

    public double ElapsedMs { get; }

    public DaneReportStatus Status { get; }

    /// <summary>The domain's own findings: those about no endpoint row (its MX RRset, hosts without DANE, …).</summary>
    public IEnumerable<DaneFinding> OwnFindings =>
        Findings.Where(f => !Endpoints.Any(e => string.Equals(e.HostName, f.HostName, System.StringComparison.OrdinalIgnoreCase) && e.Port == f.Port));
}
