using System;
using System.Linq;
using System.Text.RegularExpressions;
using DanePS.Engine.Checking;
using DanePS.Engine.Reports;
using DanePS.Tests.Fixtures;
using Xunit;

namespace DanePS.Tests.Reports;

/// <summary>Markdown tables: every row has the header's cells, whatever '|' the text holds, and no markup gets through.</summary>
[Collection("EndpointWorld")]
public sealed class MarkdownReportTests
{
    private static readonly Regex UnescapedPipe = new(@"(?<!\\)(\\\\)*\|");
    private readonly EndpointWorld _world;

    public MarkdownReportTests(EndpointWorld world) => _world = world;

    /// <summary>The cells of each table row, counted as a GitHub-flavoured Markdown reader splits them.</summary>
    private static void AssertTablesAreWellFormed(string md)
    {
        var lines = md.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("| ", StringComparison.Ordinal) || !lines[i + 1].StartsWith("| ---", StringComparison.Ordinal))
            {
                continue;
            }

            var columns = UnescapedPipe.Count(lines[i]);
            for (var j = i + 1; j < lines.Length && lines[j].StartsWith('|'); j++)
            {
                Assert.True(UnescapedPipe.Count(lines[j]) == columns, $"Row {j} has another number of cells than its header:\n{lines[i]}\n{lines[j]}");
                i = j;
            }
        }
    }

    [Fact]
    public void Real_results_are_a_table_row_per_endpoint_worst_first_with_the_fix()
    {
        var real = RealResults.For(_world);
        var md = real.Report().Write(DaneReportFormat.Markdown);
        AssertTablesAreWellFormed(md);
        Assert.StartsWith("# DANE report: CRITICAL\n", md, StringComparison.Ordinal);
        var rows = md.Split('\n').SkipWhile(l => l != "## Endpoints").Skip(4).TakeWhile(l => l.StartsWith('|')).ToList();
        Assert.Equal(real.Endpoints.Count + real.MailDomain.Endpoints.Count, rows.Count);
        Assert.StartsWith("| Fail |", rows[0], StringComparison.Ordinal);
        Assert.StartsWith("| Pass |", rows[^1], StringComparison.Ordinal);
        Assert.Contains(rows, r => r.Contains("onlyjunk.dane.test:25", StringComparison.Ordinal) && r.EndsWith("| \\_25.\\_tcp.onlyjunk.dane.test. IN TLSA " + EndpointWorld.Ee311(_world.LeafEcdsa) + " |", StringComparison.Ordinal));
        Assert.Contains("## Warnings", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_text_keeps_the_table_and_shows_as_text()
    {
        var report = new DaneReport();
        report.Add(HostileResults.Endpoint(DaneVerdict.Fail));
        report.Add(HostileResults.MailDomain("evil|domain.test", DaneVerdict.DnssecFailure));
        var md = report.Write(DaneReportFormat.Markdown);
        AssertTablesAreWellFormed(md);
        Assert.DoesNotContain("<script>", md, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", md, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", md, StringComparison.Ordinal);
        Assert.Contains("a\\|b", md, StringComparison.Ordinal);
        Assert.Contains("back\\\\slash<br>new line", md, StringComparison.Ordinal);
        Assert.DoesNotContain('\u0001', md);
    }
}
