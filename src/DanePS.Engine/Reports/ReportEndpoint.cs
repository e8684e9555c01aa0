using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DanePS.Engine.Alerts;
using DanePS.Engine.Checking;
using DanePS.Engine.Dns;
using DanePS.Engine.Tlsa;

namespace DanePS.Engine.Reports;

/// <summary>
/// One row of a report: one endpoint result (address, port, key type), or one TLSA RRset read without a handshake.
/// This is the one place reports read result objects: every writer works from these rows.
/// </summary>
internal sealed class ReportEndpoint
{
    private ReportEndpoint(string kind, string hostName, int port, string tlsaOwnerName)
    {
        Kind = kind;
        HostName = hostName;
        Port = port;
        TlsaOwnerName = tlsaOwnerName;
    }

    /// <summary>"endpoint" for a Test-DaneEndpoint/Test-DaneMailDomain result, "tlsaRecordSet" for a Get-TlsaRecord answer.</summary>
    public string Kind { get; }

    public string HostName { get; }

    public int Port { get; }

    public string? MailDomain { get; private set; }

    public int? MxPreference { get; private set; }

    public string? Address { get; private set; }

    public string? PublicKey { get; private set; }

    public string? StartTls { get; private set; }

    /// <summary>The verdict; null for a TLSA RRset read without a handshake.</summary>
    public DaneVerdict? Verdict { get; private set; }

    /// <summary>For a TLSA RRset: Found, NotPublished or Failed.</summary>
    public string? LookupOutcome { get; private set; }

    public DaneReportStatus Status { get; private set; }

    public string Summary { get; private set; } = string.Empty;

    public string TlsaOwnerName { get; }

    public string? TlsaDnssecStatus { get; private set; }

    public IReadOnlyList<ReportRecord> Records { get; private set; } = Array.Empty<ReportRecord>();

    public string? MatchedRecord { get; private set; }

    public int? MatchedDepth { get; private set; }

    /// <summary>The record that would authenticate what the server presents now, as a zone file line; for failures only.</summary>
    public string? FixRecord { get; private set; }

    public DateTimeOffset? CertificateNotAfter { get; private set; }

    public DateTimeOffset? SignatureExpiration { get; private set; }

    public string? ConnectionFailure { get; private set; }

    public double? ElapsedMs { get; private set; }

    public IReadOnlyList<DaneFinding> Findings { get; private set; } = Array.Empty<DaneFinding>();

    public int WarningCount => Findings.Count(f => f.Severity == FindingSeverity.Warning);

    /// <summary>"host:port [address] key", what a person reads as the endpoint's name.</summary>
    public string Name => string.Format(CultureInfo.InvariantCulture, "{0}:{1}{2}{3}", HostName, Port,
        Address is null ? string.Empty : $" [{Address}]", PublicKey is null ? string.Empty : " " + PublicKey);

    /// <summary>The verdict, or for a TLSA RRset its lookup outcome, as one word.</summary>
    public string VerdictText => Verdict?.ToString() ?? $"Lookup{LookupOutcome}";

    public static ReportEndpoint From(DaneEndpointResult r)
    {
        var owner = DnsTlsaRecord.OwnerNameFor(r.TlsaBaseDomain, r.Port);
        var failing = AlertSubject.IsFailureVerdict(r.Verdict.ToString());
        var fix = r.Verdict == DaneVerdict.Fail || (failing && r.PresentedChain.Count > 0 && r.Verdict != DaneVerdict.DnssecFailure)
            ? DaneResultAlertAdapter.WouldMatch(r)
            : null;
        var e = new ReportEndpoint("endpoint", r.HostName, r.Port, owner)
        {
            MailDomain = r.MailDomain,
            MxPreference = r.MxPreference,
            Address = r.Address,
            PublicKey = r.PublicKey,
            StartTls = r.StartTls.ToString(),
            Verdict = r.Verdict,
            Summary = r.Summary,
            TlsaDnssecStatus = r.TlsaDnssecStatus.ToString(),
            Records = r.Records.Select(x => new ReportRecord(x.Record, x.Outcome.ToString(), x.Reason)).ToList(),
            MatchedRecord = r.MatchedRecord,
            MatchedDepth = r.MatchedDepth,
            FixRecord = fix is null ? null : $"{owner} IN TLSA {fix}",
            CertificateNotAfter = r.PresentedChain.FirstOrDefault(c => c.Depth == 0)?.NotAfter,
            SignatureExpiration = r.TlsaSignatureExpiration,
            ConnectionFailure = r.ConnectionFailure?.ToString(),
            ElapsedMs = r.ElapsedMs,
            Findings = r.Findings.ToList(),
        };
        e.Status = StatusOf(r.Verdict, e.Findings);
        return e;
    }

    public static ReportEndpoint From(TlsaRecordSet s)
    {
        var findings = s.Warnings.Select(w => new DaneFinding(DaneFindingCode.DnsWarning, FindingSeverity.Warning, w, s.HostName, s.Port, null, null)).ToList();
        var e = new ReportEndpoint("tlsaRecordSet", s.HostName, s.Port, s.OwnerName)
        {
            MailDomain = s.MailDomain,
            MxPreference = s.MxPreference,
            LookupOutcome = s.Outcome.ToString(),
            Summary = s.Outcome switch
            {
                TlsaLookupOutcome.Failed => $"TLSA lookup failed ({s.Failure}): {s.FailureMessage}",
                TlsaLookupOutcome.NotPublished => $"No TLSA records at {s.OwnerName} ({s.Denial}, {s.DnssecStatus}).",
                _ => string.Format(CultureInfo.InvariantCulture, "{0} record(s) at {1} ({2}){3}.", s.Records.Count, s.OwnerName, s.DnssecStatus,
                    s.DaneApplies ? string.Empty : "; a DANE client would not use them"),
            },
            TlsaDnssecStatus = s.DnssecStatus.ToString(),
            Records = s.Records.Select(x => new ReportRecord(x.ToString(), null, null)).ToList(),
            SignatureExpiration = s.SignatureExpiration,
            Findings = findings,
        };
        // Without a handshake nothing passes or fails DANE; only an answer that cannot be trusted is critical.
        e.Status = s.Outcome == TlsaLookupOutcome.Failed ? DaneReportStatus.Critical : findings.Count > 0 ? DaneReportStatus.Warning : DaneReportStatus.Ok;
        return e;
    }

    /// <summary>The one rule from verdict and findings to status: the alert severities' rule, as exit codes.</summary>
    internal static DaneReportStatus StatusOf(DaneVerdict verdict, IEnumerable<DaneFinding> findings) =>
        AlertSubject.IsFailureVerdict(verdict.ToString()) ? DaneReportStatus.Critical
        : findings.Any(f => f.Severity == FindingSeverity.Warning) ? DaneReportStatus.Warning
        : DaneReportStatus.Ok;
}
