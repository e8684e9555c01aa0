using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DanePS.Engine.Checking;
using DanePS.Engine.Tlsa;

namespace DanePS.Engine.Alerts;

/// <summary>
/// Turns Test-DaneEndpoint and Test-DaneMailDomain results into alert subjects: one per host and port, whatever
/// number of addresses and key types was checked. This is the ONE place alerts read result objects: when a result
/// property is renamed, only this file changes.
/// </summary>
public static class DaneResultAlertAdapter
{
    /// <summary>Groups endpoint results by host and port, and expands mail-domain results into their MX endpoints.</summary>
    public static IReadOnlyList<AlertSubject> ToSubjects(IEnumerable<DaneEndpointResult> endpoints, IEnumerable<DaneMailDomainResult> mailDomains)
    {
        if (endpoints is null)
        {
            throw new ArgumentNullException(nameof(endpoints));
        }

        if (mailDomains is null)
        {
            throw new ArgumentNullException(nameof(mailDomains));
        }

        var subjects = new List<AlertSubject>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var group in endpoints.GroupBy(e => (e.HostName.ToUpperInvariant(), e.Port)))
        {
            var subject = FromEndpoint(group.ToList(), group.SelectMany(e => e.Findings));
            if (seen.Add(subject.Key))
            {
                subjects.Add(subject);
            }
        }

        foreach (var domain in mailDomains)
        {
            var groups = domain.Endpoints.GroupBy(e => (e.HostName.ToUpperInvariant(), e.Port)).ToList();
            foreach (var group in groups)
            {
                var first = group.First();
                var findings = domain.Findings.Where(f => string.Equals(f.HostName, first.HostName, StringComparison.OrdinalIgnoreCase) && f.Port == first.Port);
                var subject = FromEndpoint(group.ToList(), findings);
                if (seen.Add(subject.Key))
                {
                    subjects.Add(subject);
                }
            }

            // What is about the domain itself (its MX RRset, a failed MX lookup): a subject of its own.
            var hosts = new HashSet<string>(groups.Select(g => g.First().HostName), StringComparer.OrdinalIgnoreCase);
            var own = domain.Findings.Where(f => f.HostName is null || !hosts.Contains(f.HostName)).Select(ToAlertFinding).ToList();
            var checks = domain.Endpoints.Count == 0
                ? new[] { new AlertCheck(null, null, domain.Verdict.ToString(), domain.Summary, null) }
                : Array.Empty<AlertCheck>();
            if ((checks.Length > 0 || own.Count > 0) && seen.Add(domain.MailDomain))
            {
                subjects.Add(new AlertSubject(domain.MailDomain, null, domain.MailDomain, checks, null, domain.MxDnssecStatus?.ToString(), Array.Empty<string>(), own));
            }
        }

        return subjects;
    }

    /// <summary>
    /// Turns failures that senders reported (RFC 8460 failure details, or summaries of them) into alert subjects: one
    /// per policy domain, receiving MX host and result type, keyed "tls-rpt:domain:mx host:result type", so that the
    /// same incident is announced once per suppression window whether it arrives as failure details or a summary.
    /// A report tells of the past: such a subject is always a failure, and never announces a recovery.
    /// </summary>
    public static IReadOnlyList<AlertSubject> ToSubjects(IEnumerable<TlsRpt.TlsRptFailureDetail> failures, IEnumerable<TlsRpt.TlsRptSummary> summaries)
    {
        if (failures is null)
        {
            throw new ArgumentNullException(nameof(failures));
        }

        if (summaries is null)
        {
            throw new ArgumentNullException(nameof(summaries));
        }

        var all = TlsRpt.TlsRptSummary.Summarize(failures).Concat(summaries);
        var subjects = new List<AlertSubject>();
        foreach (var group in all.GroupBy(TlsRptKey, StringComparer.OrdinalIgnoreCase))
        {
            var s = group.OrderByDescending(x => x.FailedSessionCount).First();
            var host = s.ReceivingMxHostname.Length == 0 ? s.PolicyDomain : s.ReceivingMxHostname;
            var summary = string.Format(
                CultureInfo.InvariantCulture,
                "{0} reported {1} failed session(s) ({2}) at {3}{4} between {5:yyyy-MM-dd} and {6:yyyy-MM-dd} (RFC 8460 TLS report)",
                string.Join(", ", s.Reporters),
                s.FailedSessionCount,
                s.ResultType,
                host,
                s.ReceivingIps.Count == 0 ? string.Empty : " [" + string.Join(", ", s.ReceivingIps) + "]",
                s.FirstSeen.UtcDateTime,
                s.LastSeen.UtcDateTime);
            var check = new AlertCheck(s.ReceivingIps.FirstOrDefault(), null, "Fail", summary, null);
            var finding = new AlertFinding(s.ResultType, AlertSeverity.Information, host, "The senders' own checks failed with " + s.ResultType + "; run Test-DaneMailDomain " + s.PolicyDomain + " to see it from here.");
            subjects.Add(new AlertSubject(host, null, s.PolicyDomain, new[] { check }, null, null, Array.Empty<string>(), new[] { finding }, group.Key));
        }

        return subjects;
    }

    private static string TlsRptKey(TlsRpt.TlsRptSummary s) =>
        string.Format(CultureInfo.InvariantCulture, "tls-rpt:{0}:{1}:{2}", s.PolicyDomain.ToLowerInvariant(), s.ReceivingMxHostname.ToLowerInvariant(), s.ResultType);

    private static AlertSubject FromEndpoint(List<DaneEndpointResult> results, IEnumerable<DaneFinding> findings)
    {
        var first = results[0];
        var checks = results.Select(r => new AlertCheck(r.Address, r.PublicKey, r.Verdict.ToString(), r.Summary, WouldMatch(r))).ToList();
        var alertFindings = findings.Select(ToAlertFinding)
            .GroupBy(f => (f.Code, f.About, f.Message)).Select(g => g.First()).ToList();
        return new AlertSubject(
            first.HostName,
            first.Port,
            first.MailDomain,
            checks,
            DnsTlsaRecord.OwnerNameFor(first.TlsaBaseDomain, first.Port),
            first.TlsaDnssecStatus.ToString(),
            first.Records.Select(r => r.ToString()).ToList(),
            alertFindings);
    }

    private static AlertFinding ToAlertFinding(DaneFinding f) =>
        new(f.Code.ToString(), f.Severity == FindingSeverity.Warning ? AlertSeverity.Warning : AlertSeverity.Information, f.Subject, f.Message);

    /// <summary>
    /// The record that would match what the server presents now: its leaf in the form DNS already uses for DANE-EE
    /// (selector and matching type of the first published 3 x x record), else the usual 3 1 1.
    /// </summary>
    internal static string? WouldMatch(DaneEndpointResult result)
    {
        var leaf = result.PresentedChain.FirstOrDefault(c => c.Depth == 0);
        if (leaf is null)
        {
            return null;
        }

        var model = result.Records.Select(r => r.GetRecord()).FirstOrDefault(r => r.Usage == TlsaUsage.DaneEe && r.IsUsable);
        var selector = model?.Selector ?? TlsaSelector.Spki;
        var matching = model?.MatchingType ?? TlsaMatchingType.Sha256;
        try
        {
            return TlsaRecordFactory.FromCertificate(leaf.GetCertificate(), TlsaUsage.DaneEe, selector, matching).ToString();
        }
        catch (ArgumentException)
        {
            return string.Format(CultureInfo.InvariantCulture, "3 1 1 {0}", leaf.SpkiSha256);
        }
    }
}
