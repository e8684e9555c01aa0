using System;

namespace DanePS.Engine.TlsRpt;

/// <summary>One RFC 8460 report (§4.3): who reported, for which period, and a result per policy.</summary>
public sealed class TlsRptReport
{
    internal TlsRptReport(string organizationName, string reportId, DateTimeOffset dateRangeStart, DateTimeOffset dateRangeEnd, string? contactInfo, string source)
    {
        OrganizationName = organizationName;
        ReportId = reportId;
        DateRangeStart = dateRangeStart;
        DateRangeEnd = dateRangeEnd;
        ContactInfo = contactInfo;
        Source = source;
    }

    /// <summary>organization-name: who sent the report ("Google Inc.", "Microsoft Corporation").</summary>
    public string OrganizationName { get; }

    /// <summary>report-id: the reporter's identifier of this report.</summary>
    public string ReportId { get; }

    /// <summary>date-range start-datetime.</summary>
    public DateTimeOffset DateRangeStart { get; }

    /// <summary>date-range end-datetime.</summary>
    public DateTimeOffset DateRangeEnd { get; }

    /// <summary>contact-info: how to reach the reporter (null when not given).</summary>
    public string? ContactInfo { get; }

    /// <summary>Where the report was read: the file, or the mailbox message and attachment.</summary>
    public string Source { get; }

    /// <summary>One result per policy (policies).</summary>
    public ReadableList<TlsRptPolicyResult> Policies { get; internal set; } = ReadableList.Empty<TlsRptPolicyResult>();

    /// <inheritdoc />
    public override string ToString() => $"{OrganizationName} {ReportId}";
}
