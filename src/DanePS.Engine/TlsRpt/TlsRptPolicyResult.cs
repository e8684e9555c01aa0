using System;
using System.Globalization;

namespace DanePS.Engine.TlsRpt;

/// <summary>
/// One policy of one report (RFC 8460 §4.4): the policy the sender applied and how many sessions succeeded and
/// failed under it, with the report's own fields beside it so that each object stands alone in a pipeline or a CSV.
/// </summary>
public sealed class TlsRptPolicyResult
{
    internal TlsRptPolicyResult(TlsRptReport report)
    {
        OrganizationName = report.OrganizationName;
        ReportId = report.ReportId;
        DateRangeStart = report.DateRangeStart;
        DateRangeEnd = report.DateRangeEnd;
        ContactInfo = report.ContactInfo;
        Source = report.Source;
    }

    /// <summary>organization-name of the reporter.</summary>
    public string OrganizationName { get; }

    /// <summary>report-id.</summary>
    public string ReportId { get; }

    /// <summary>date-range start-datetime.</summary>
    public DateTimeOffset DateRangeStart { get; }

    /// <summary>date-range end-datetime.</summary>
    public DateTimeOffset DateRangeEnd { get; }

    /// <summary>contact-info (null when not given).</summary>
    public string? ContactInfo { get; }

    /// <summary>policy-type: "tlsa" (DANE), "sts" (MTA-STS) or "no-policy-found".</summary>
    public string PolicyType { get; internal set; } = string.Empty;

    /// <summary>policy-domain: the domain the policy is for.</summary>
    public string PolicyDomain { get; internal set; } = string.Empty;

    /// <summary>policy-string: the policy as the sender saw it (TLSA records, or the lines of the MTA-STS policy).</summary>
    public ReadableList<string> PolicyString { get; internal set; } = ReadableList.Empty<string>();

    /// <summary>mx-host: the MX host patterns the policy names (MTA-STS).</summary>
    public ReadableList<string> MxHost { get; internal set; } = ReadableList.Empty<string>();

    /// <summary>total-successful-session-count.</summary>
    public long TotalSuccessfulSessionCount { get; internal set; }

    /// <summary>total-failure-session-count.</summary>
    public long TotalFailureSessionCount { get; internal set; }

    /// <summary>failure-details: the failures by kind, sender and receiving host.</summary>
    public ReadableList<TlsRptFailureDetail> FailureDetails { get; internal set; } = ReadableList.Empty<TlsRptFailureDetail>();

    /// <summary>Where the report was read: the file, or the mailbox message and attachment.</summary>
    public string Source { get; }

    /// <inheritdoc />
    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} {1} {2}: {3} successful, {4} failed", OrganizationName, PolicyType, PolicyDomain, TotalSuccessfulSessionCount, TotalFailureSessionCount);
}
