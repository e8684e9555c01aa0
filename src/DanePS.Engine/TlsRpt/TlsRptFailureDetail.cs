using System;
using System.Globalization;

namespace DanePS.Engine.TlsRpt;

/// <summary>
/// One failure-details entry (RFC 8460 §4.3, §4.4): what kind of failure a sender saw, from which of its MTAs, at
/// which receiving MX host and address, how often; with its report's and policy's fields beside it.
/// </summary>
public sealed class TlsRptFailureDetail
{
    internal TlsRptFailureDetail(TlsRptPolicyResult policy)
    {
        OrganizationName = policy.OrganizationName;
        ReportId = policy.ReportId;
        DateRangeStart = policy.DateRangeStart;
        DateRangeEnd = policy.DateRangeEnd;
        PolicyType = policy.PolicyType;
        PolicyDomain = policy.PolicyDomain;
        Source = policy.Source;
    }

    /// <summary>organization-name of the reporter.</summary>
    public string OrganizationName { get; }

    /// <summary>report-id.</summary>
    public string ReportId { get; }

    /// <summary>date-range start-datetime.</summary>
    public DateTimeOffset DateRangeStart { get; }

    /// <summary>date-range end-datetime.</summary>
    public DateTimeOffset DateRangeEnd { get; }

    /// <summary>policy-type of the policy the failure is under.</summary>
    public string PolicyType { get; }

    /// <summary>policy-domain of the policy the failure is under.</summary>
    public string PolicyDomain { get; }

    /// <summary>result-type: "tlsa-invalid", "dnssec-invalid", "dane-required", "starttls-not-supported", "certificate-expired", "validation-failure", …</summary>
    public string ResultType { get; internal set; } = string.Empty;

    /// <summary>sending-mta-ip (as reported; not parsed).</summary>
    public string? SendingMtaIp { get; internal set; }

    /// <summary>receiving-mx-hostname.</summary>
    public string? ReceivingMxHostname { get; internal set; }

    /// <summary>receiving-mx-helo.</summary>
    public string? ReceivingMxHelo { get; internal set; }

    /// <summary>receiving-ip.</summary>
    public string? ReceivingIp { get; internal set; }

    /// <summary>failed-session-count.</summary>
    public long FailedSessionCount { get; internal set; }

    /// <summary>additional-information: a URI the reporter gives; text only, never fetched.</summary>
    public string? AdditionalInformation { get; internal set; }

    /// <summary>failure-reason-code (or the failure-error-code of RFC 8460's Appendix B example).</summary>
    public string? FailureReasonCode { get; internal set; }

    /// <summary>Where the report was read: the file, or the mailbox message and attachment.</summary>
    public string Source { get; }

    /// <inheritdoc />
    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} {1} [{2}]: {3} failed session(s) ({4})", ResultType, ReceivingMxHostname, ReceivingIp, FailedSessionCount, OrganizationName);
}
