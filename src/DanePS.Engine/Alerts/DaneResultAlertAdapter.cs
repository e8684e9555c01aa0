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
