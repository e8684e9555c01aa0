using System;
using System.Linq;
using System.Text.RegularExpressions;
using DanePS.Engine.Checking;
using DanePS.Engine.Reports;
using DanePS.Tests.Fixtures;
using Xunit;

namespace DanePS.Tests.Reports;

/// <summary>Nagios/Icinga plugin output against the Nagios Plugin Development Guidelines: status line, perfdata, long output, exit code.</summary>
[Collection("EndpointWorld")]
public sealed class NagiosReportTests
{
    // 'label'=value[UOM];[warn];[crit];[min];[max]: a label quoted when it must be (quotes doubled inside), never '=';
    // the guidelines' units only; thresholds in range syntax; min and max plain numbers.
    private const string Number = @"-?[0-9]+(\.[0-9]+)?";
    private const string Range = @"@?(" + Number + @"|~)?:?(" + Number + ")?";
    private static readonly Regex PerfData = new(
        @"^('([^'=]|'')+'|[^'=\s]+)=" + Number + "(s|ms|us|%|B|KB|MB|TB|c)?(;(" + Range + ")?(;(" + Range + ")?(;(" + Number + ")?(;(" + Number + ")?)?)?)?)?$");

    private static readonly Regex StatusLine = new(@"^DANE (OK|WARNING|CRITICAL|UNKNOWN) - [^|\n]+ \| (?<perf>.+)$");
    private readonly EndpointWorld _world;

    public NagiosReportTests(EndpointWorld world) => _world = world;

    private static string[] CheckSyntax(string output)
    {
        var lines = output.Split('\n');
        var first = StatusLine.Match(lines[0]);
        Assert.True(first.Success, "Not a plugin status line: " + lines[0]);
        foreach (var perf in first.Groups["perf"].Value.Split(' '))
        {
            Assert.Matches(PerfData, perf);
        }

        Assert.All(lines.Skip(1), l => Assert.DoesNotContain("|", l, StringComparison.Ordinal));
        return lines;
    }

    [Fact]
    public void Real_results_give_CRITICAL_with_exit_code_2_perfdata_and_one_long_line_per_failing_endpoint_with_its_fix()
    {
        var real = RealResults.For(_world);
        var report = real.Report();
        var lines = CheckSyntax(report.Write(DaneReportFormat.Nagios));

        Assert.Equal(2, report.ExitCode);
        var all = real.Endpoints.Concat(real.MailDomain.Endpoints).ToList();
        Assert.StartsWith("DANE CRITICAL - 1 mail domain(s) (1 Fail), " + all.Count + " endpoint(s) (", lines[0], StringComparison.Ordinal);
        Assert.Contains($" endpoints={all.Count};;;0 ", lines[0], StringComparison.Ordinal);
        Assert.Contains($" fail={all.Count(e => e.Verdict == DaneVerdict.Fail)};;;0;{all.Count} ", lines[0], StringComparison.Ordinal);
        Assert.Matches(@" certificate_expiry_min=[0-9]+s ", lines[0]);
        Assert.Matches(@" rrsig_expiry_min=[0-9]+s ", lines[0]);

        var critical = lines.Skip(1).Where(l => l.StartsWith("[CRITICAL] ", StringComparison.Ordinal)).ToList();
        Assert.Equal(all.Count(e => e.Verdict is DaneVerdict.Fail or DaneVerdict.Unreachable or DaneVerdict.DnssecFailure or DaneVerdict.NoSuchHost), critical.Count);
        var failing = Assert.Single(critical, l => l.Contains("onlyjunk.dane.test:25", StringComparison.Ordinal));
        Assert.EndsWith("Publish: _25._tcp.onlyjunk.dane.test. IN TLSA " + EndpointWorld.Ee311(_world.LeafEcdsa), failing, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("[WARNING] junk.dane.test:25", StringComparison.Ordinal) && l.Contains("TooManyRecords", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("single.dane.test", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DaneVerdict.Pass, null, "OK", 0)]
    [InlineData(DaneVerdict.NotDane, null, "OK", 0)]
    [InlineData(DaneVerdict.Pass, FindingSeverity.Information, "OK", 0)]
    [InlineData(DaneVerdict.Pass, FindingSeverity.Warning, "WARNING", 1)]
    [InlineData(DaneVerdict.Fail, null, "CRITICAL", 2)]
    [InlineData(DaneVerdict.DnssecFailure, null, "CRITICAL", 2)]
    [InlineData(DaneVerdict.Unreachable, null, "CRITICAL", 2)]
    [InlineData(DaneVerdict.NoSuchHost, FindingSeverity.Warning, "CRITICAL", 2)]
    public void Each_verdict_has_its_status_word_and_exit_code(DaneVerdict verdict, FindingSeverity? finding, string word, int exitCode)
    {
        var report = new DaneReport();
        report.Add(HostileResults.Endpoint(verdict, hostName: "mx.example.test", findingSeverity: finding));
        var lines = CheckSyntax(report.Write(DaneReportFormat.Nagios));
        Assert.StartsWith($"DANE {word} - ", lines[0], StringComparison.Ordinal);
        Assert.Equal(exitCode, report.ExitCode);
        Assert.Equal((DaneReportStatus)exitCode, report.Status);
        Assert.Equal(exitCode == 0 ? 1 : 2, lines.Length);
    }

    [Fact]
    public void Nothing_checked_is_UNKNOWN_with_exit_code_3()
    {
        var report = new DaneReport();
        var lines = CheckSyntax(report.Write(DaneReportFormat.Nagios));
        Assert.StartsWith("DANE UNKNOWN - ", lines[0], StringComparison.Ordinal);
        Assert.Equal(3, report.ExitCode);
    }

    [Fact]
    public void Hostile_text_cannot_start_perfdata_or_add_lines()
    {
        var report = new DaneReport();
        report.Add(HostileResults.Endpoint(DaneVerdict.Fail));
        report.Add(HostileResults.Endpoint(DaneVerdict.Pass, address: "192.0.2.9"));
        report.Add(HostileResults.MailDomain("evil|domain.test", DaneVerdict.DnssecFailure));
        var lines = CheckSyntax(report.Write(DaneReportFormat.Nagios));
        Assert.Equal(1, lines[0].Count(c => c == '|'));
        // One line for each endpoint that is not OK: the failure, the passing one with a warning, the domain.
        Assert.Equal(4, lines.Length);
        Assert.Contains(lines, l => l.Contains("evil\"/<b>host\\x.test:25", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("pass", "pass")]
    [InlineData("a b", "'a b'")]
    [InlineData("it's here", "'it''s here'")]
    [InlineData("x=y", "x_y")]
    public void Perfdata_labels_are_quoted_where_the_guidelines_require(string label, string expected)
    {
        Assert.Equal(expected, NagiosReportWriter.Label(label));
        Assert.Matches(PerfData, NagiosReportWriter.Perf(label, 1.5, "s", 0, null));
    }
}
