using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DanePS.Engine.Alerts;

/// <summary>Words a subject into a message: the subject line short, the facts in sections.</summary>
public static class AlertMessageBuilder
{
    private static readonly string[] NoRecords = { "(no TLSA records)" };

    /// <summary>The message announcing the subject's fault.</summary>
    public static AlertMessage Problem(AlertSubject subject)
    {
        if (subject is null)
        {
            throw new ArgumentNullException(nameof(subject));
        }

        var line = subject.Severity == AlertSeverity.Failure
            ? string.Format(CultureInfo.InvariantCulture, "DANE {0}: {1}", subject.Verdict, subject.Key)
            : string.Format(CultureInfo.InvariantCulture, "DANE warning: {0} ({1})", subject.Key, subject.Fault);
        return new AlertMessage(AlertKind.Problem, subject.Severity, line, Sections(subject));
    }

    /// <summary>The message saying that a fault announced before (<paramref name="fault"/>) is gone.</summary>
    public static AlertMessage Recovery(AlertSubject subject, string fault, AlertSeverity announcedSeverity)
    {
        if (subject is null)
        {
            throw new ArgumentNullException(nameof(subject));
        }

        var line = subject.Passes
            ? string.Format(CultureInfo.InvariantCulture, "resolved: {0} passes again", subject.Key)
            : string.Format(CultureInfo.InvariantCulture, "resolved: {0} no longer has {1} (now {2})", subject.Key, fault, subject.Severity == AlertSeverity.Warning ? "warnings: " + subject.Fault : subject.Verdict);
        var sections = new List<AlertSection>
        {
            new("Resolved", new[] { string.Format(CultureInfo.InvariantCulture, "{0} announced before: {1}", announcedSeverity, fault) }, false),
        };
        sections.AddRange(Sections(subject));
        return new AlertMessage(AlertKind.Recovery, announcedSeverity, line, sections);
    }

    private static List<AlertSection> Sections(AlertSubject subject)
    {
        var sections = new List<AlertSection>();
        if (subject.Checks.Count > 0)
        {
            var heading = subject.Severity == AlertSeverity.Failure ? "What failed" : "What was checked";
            sections.Add(new AlertSection(heading, subject.Checks.Select(c => string.Format(
                CultureInfo.InvariantCulture,
                "{0}{1}{2}: {3} - {4}",
                subject.Key,
                c.Address is null ? string.Empty : " [" + c.Address + "]",
                c.KeyType is null ? string.Empty : " " + c.KeyType,
                c.Verdict,
                c.Summary)).ToList(), false));
        }

        if (subject.TlsaOwnerName is not null)
        {
            var heading = string.Format(CultureInfo.InvariantCulture, "DNS publishes at {0} (DNSSEC {1})", subject.TlsaOwnerName, subject.DnssecStatus ?? "unknown");
            sections.Add(new AlertSection(heading, subject.PublishedRecords.Count == 0 ? NoRecords : subject.PublishedRecords, true));
        }

        if (subject.WouldMatch.Count > 0)
        {
            sections.Add(new AlertSection("The server presents a key that this record would match now", subject.WouldMatch, true));
        }

        if (subject.Findings.Count > 0)
        {
            sections.Add(new AlertSection("Findings", subject.Findings.Select(f => string.Format(
                CultureInfo.InvariantCulture, "{0} {1} ({2}): {3}", f.Severity, f.Code, f.About, f.Message)).ToList(), false));
        }

        return sections;
    }
}
