using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DanePS.Engine.TlsRpt;

/// <summary>
/// Failures of one kind at one receiving MX host over every report read: how many sessions failed, over which
/// period, and who reported them.
/// </summary>
public sealed class TlsRptSummary
{
    internal TlsRptSummary(string policyDomain, string receivingMxHostname, string resultType)
    {
        PolicyDomain = policyDomain;
        ReceivingMxHostname = receivingMxHostname;
        ResultType = resultType;
    }

    /// <summary>policy-domain of the failures.</summary>
    public string PolicyDomain { get; }

    /// <summary>receiving-mx-hostname (empty when the reports do not name it).</summary>
    public string ReceivingMxHostname { get; }

    /// <summary>result-type.</summary>
    public string ResultType { get; }

    /// <summary>failed-session-count summed over every report.</summary>
    public long FailedSessionCount { get; internal set; }

    /// <summary>The start of the first report period that has this failure.</summary>
    public DateTimeOffset FirstSeen { get; internal set; }

    /// <summary>The end of the last report period that has this failure.</summary>
    public DateTimeOffset LastSeen { get; internal set; }

    /// <summary>The reporters (organization-name) that saw it, in order of name.</summary>
    public ReadableList<string> Reporters { get; internal set; } = ReadableList.Empty<string>();

    /// <summary>How many reports have this failure.</summary>
    public int ReportCount { get; internal set; }

    /// <summary>The receiving addresses reported (receiving-ip), in order.</summary>
    public ReadableList<string> ReceivingIps { get; internal set; } = ReadableList.Empty<string>();

    /// <inheritdoc />
    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} {1}: {2} failed session(s) {3:u} – {4:u}", ReceivingMxHostname, ResultType, FailedSessionCount, FirstSeen, LastSeen);

    /// <summary>
    /// One summary per policy domain, receiving MX host and result type, in that order; a report read twice (the same
    /// reporter and report-id, e.g. from a file and the mailbox) counts once.
    /// </summary>
    public static IReadOnlyList<TlsRptSummary> Summarize(IEnumerable<TlsRptFailureDetail> failures)
    {
        if (failures is null)
        {
            throw new ArgumentNullException(nameof(failures));
        }

        // A report read twice (same reporter and report-id from two files, or a file and the mailbox): the first copy counts.
        var list = failures.ToList();
        var firstSource = new Dictionary<(string, string), string>();
        foreach (var f in list)
        {
            if (!firstSource.ContainsKey((f.OrganizationName, f.ReportId)))
            {
                firstSource[(f.OrganizationName, f.ReportId)] = f.Source;
            }
        }

        var unique = list.Where(f => string.Equals(firstSource[(f.OrganizationName, f.ReportId)], f.Source, StringComparison.Ordinal)).ToList();
        return unique
            .GroupBy(f => (Domain: f.PolicyDomain.ToUpperInvariant(), Host: (f.ReceivingMxHostname ?? string.Empty).ToUpperInvariant(), f.ResultType))
            .OrderBy(g => g.Key.Domain, StringComparer.Ordinal).ThenBy(g => g.Key.Host, StringComparer.Ordinal).ThenBy(g => g.Key.ResultType, StringComparer.Ordinal)
            .Select(g =>
            {
                var first = g.First();
                return new TlsRptSummary(first.PolicyDomain, first.ReceivingMxHostname ?? string.Empty, first.ResultType)
                {
                    FailedSessionCount = g.Sum(f => f.FailedSessionCount),
                    FirstSeen = g.Min(f => f.DateRangeStart),
                    LastSeen = g.Max(f => f.DateRangeEnd),
                    Reporters = ReadableList.Of(g.Select(f => f.OrganizationName).Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal)),
                    ReportCount = g.Select(f => (f.OrganizationName, f.ReportId)).Distinct().Count(),
                    ReceivingIps = ReadableList.Of(g.Select(f => f.ReceivingIp).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(a => a, StringComparer.Ordinal)),
                };
            })
            .ToList();
    }
}
