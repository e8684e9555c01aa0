using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using DanePS.Engine.Checking;

namespace DanePS.Engine.Reports;

/// <summary>
/// Nagios/Icinga plugin output (Nagios Plugin Development Guidelines, "Plugin Output"): the status line
/// "DANE OK|WARNING|CRITICAL|UNKNOWN - …" with performance data after '|', then one long-output line per endpoint
/// that is not OK, worst first. The plugin's exit code is <see cref="DaneReport.ExitCode"/>.
/// </summary>
internal static class NagiosReportWriter
{
    /// <summary>Long-output lines at most: Nagios Core keeps 8 KB of a plugin's output; the rest is summed up.</summary>
    private const int MaxLongOutputLines = 50;

    /// <summary>Every verdict, always in the perfdata, so that graphs keep their series.</summary>
    private static readonly (string Label, string Verdict)[] VerdictLabels =
    {
        ("pass", nameof(DaneVerdict.Pass)),
        ("fail", nameof(DaneVerdict.Fail)),
        ("dnssec_failure", nameof(DaneVerdict.DnssecFailure)),
        ("not_dane", nameof(DaneVerdict.NotDane)),
        ("unreachable", nameof(DaneVerdict.Unreachable)),
        ("no_such_host", nameof(DaneVerdict.NoSuchHost)),
    };

    private static readonly char[] QuotedLabelCharacters = { ' ', '\'', '\t' };

    public static string Write(DaneReport report)
    {
        var rows = report.Rows.ToList();
        var text = new StringBuilder();
        text.Append("DANE ").Append(StatusWord(report.Status)).Append(" - ").Append(Clean(report.Summary));
        text.Append(" | ").Append(string.Join(" ", PerfData(report, rows)));
        text.Append('\n');

        var bad = rows.Where(r => r.Status != DaneReportStatus.Ok)
            .OrderByDescending(r => r.Status).ThenBy(r => DaneReport.VerdictOrder(r.VerdictText)).ToList();
        var lines = bad.Select(Line)
            .Concat(report.MailDomains.SelectMany(d => d.OwnFindings.Where(f => f.Severity == FindingSeverity.Warning)
                .Select(f => $"[WARNING] {d.MailDomain}: {f.Code}: {f.Message}")))
            .Select(Clean).ToList();
        foreach (var line in lines.Take(MaxLongOutputLines))
        {
            text.Append(line).Append('\n');
        }

        if (lines.Count > MaxLongOutputLines)
        {
            text.Append(string.Format(CultureInfo.InvariantCulture, "… and {0} more (ConvertTo-DaneReport -Format Html shows them all)\n", lines.Count - MaxLongOutputLines));
        }

        // No final line break: the check_dane wrapper writes the text, and the host adds the line end.
        return text.ToString().TrimEnd('\n');
    }

    /// <summary>The status word of a plugin's first line, for an exit code.</summary>
    public static string StatusWord(DaneReportStatus status) => status switch
    {
        DaneReportStatus.Ok => "OK",
        DaneReportStatus.Warning => "WARNING",
        DaneReportStatus.Critical => "CRITICAL",
        _ => "UNKNOWN",
    };

    private static string Line(ReportRow r)
    {
        var line = new StringBuilder();
        line.Append('[').Append(StatusWord(r.Status)).Append("] ").Append(r.Name).Append(' ').Append(r.VerdictText).Append(": ");
        if (r.Status == DaneReportStatus.Critical)
        {
            line.Append(r.Summary);
            if (r.FixRecord is { } fix)
            {
                line.Append(" Publish: ").Append(fix);
            }
        }
        else
        {
            line.Append(string.Join("; ", r.Findings.Where(f => f.Severity == FindingSeverity.Warning).Select(f => $"{f.Code}: {f.Message}")));
        }

        return line.ToString();
    }

    private static IEnumerable<string> PerfData(DaneReport report, List<ReportRow> rows)
    {
        var endpoints = rows.Where(r => r.Endpoint?.Verdict is not null).Select(r => r.Endpoint!).ToList();
        var total = endpoints.Count;
        yield return Perf("endpoints", total, string.Empty, 0, null);
        foreach (var (label, verdict) in VerdictLabels)
        {
            yield return Perf(label, endpoints.Count(e => e.Verdict.ToString() == verdict), string.Empty, 0, total);
        }

        yield return Perf("warnings", rows.Sum(r => r.WarningCount), string.Empty, 0, null);
        var now = report.Generated;
        var certificates = endpoints.Where(e => e.CertificateNotAfter is not null).Select(e => e.CertificateNotAfter!.Value).ToList();
        if (certificates.Count > 0)
        {
            // Seconds: the guidelines' UOMs have no days.
            yield return Perf("certificate_expiry_min", Math.Round((certificates.Min() - now).TotalSeconds), "s", null, null);
        }

        var signatures = report.Rows.Select(r => r.Endpoint?.SignatureExpiration).OfType<DateTimeOffset>().ToList();
        if (signatures.Count > 0)
        {
            yield return Perf("rrsig_expiry_min", Math.Round((signatures.Min() - now).TotalSeconds), "s", null, null);
        }

        var elapsed = report.MailDomains.Sum(d => d.ElapsedMs) + report.Endpoints.Sum(e => e.ElapsedMs ?? 0);
        yield return Perf("time", Math.Round(elapsed / 1000, 3), "s", 0, null);
    }

    /// <summary>'label'=value[UOM];[warn];[crit];[min];[max], trailing empty fields dropped.</summary>
    internal static string Perf(string label, double value, string unit, double? min, double? max)
    {
        var fields = new List<string>
        {
            Label(label) + "=" + value.ToString("0.###", CultureInfo.InvariantCulture) + unit,
            string.Empty,
            string.Empty,
            min?.ToString("0.###", CultureInfo.InvariantCulture) ?? string.Empty,
            max?.ToString("0.###", CultureInfo.InvariantCulture) ?? string.Empty,
        };
        while (fields.Count > 1 && fields[fields.Count - 1].Length == 0)
        {
            fields.RemoveAt(fields.Count - 1);
        }

        return string.Join(";", fields);
    }

    /// <summary>A label as the guidelines want it: quoted when it holds a space or a quote (a quote doubled); '=' never.</summary>
    internal static string Label(string label)
    {
        var clean = label.Replace("=", "_");
        return clean.IndexOfAny(QuotedLabelCharacters) >= 0 ? "'" + clean.Replace("'", "''") + "'" : clean;
    }

    /// <summary>One line of plugin text: no line breaks, and no '|', which would start the performance data.</summary>
    internal static string Clean(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            sb.Append(ch switch
            {
                '|' => '/',
                '\r' or '\n' or '\t' => ' ',
                _ when char.IsControl(ch) => ' ',
                _ => ch,
            });
        }

        return sb.ToString();
    }
}
