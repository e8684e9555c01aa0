using System;
using System.Linq;
using System.Threading.Tasks;
using System.Xml.Linq;
using DanePS.Engine.Checking;
using DanePS.Engine.Reports;
using DanePS.Tests.Fixtures;
using Xunit;

namespace DanePS.Tests.Reports;

/// <summary>JUnit XML: valid against the JUnit schema (xmllint --schema tests/DanePS.Tests/Reports/junit.xsd), and read by a real XML parser.</summary>
[Collection("EndpointWorld")]
public sealed class JUnitReportTests
{
    private readonly EndpointWorld _world;

    public JUnitReportTests(EndpointWorld world) => _world = world;

    [Fact]
    public async Task Real_results_are_one_valid_test_case_per_endpoint_with_failures_carrying_the_summary_and_fix()
    {
        var real = RealResults.For(_world);
        var xml = real.Report().Write(DaneReportFormat.JUnit);

        var lint = await FormatCheckers.XmllintAsync(xml, FormatCheckers.JUnitXsdPath);
        Assert.True(lint.ExitCode == 0, "xmllint --schema junit.xsd:\n" + lint.CombinedOutput + "\n" + xml);
        var doc = XDocument.Parse(xml);
        var root = doc.Root!;
        Assert.Equal("testsuites", root.Name.LocalName);
        var suites = root.Elements("testsuite").ToList();
        Assert.Equal(new[] { "DANE mixedmail.test", "DANE endpoints" }, suites.Select(s => (string)s.Attribute("name")!));
        var cases = root.Descendants("testcase").ToList();
        Assert.Equal(real.Endpoints.Count + real.MailDomain.Endpoints.Count, cases.Count);
        Assert.Equal(cases.Count, (int)root.Attribute("tests")!);
        Assert.Equal(cases.Count(c => c.Element("failure") is not null), (int)root.Attribute("failures")!);
        Assert.All(suites, s => Assert.Equal(s.Elements("testcase").Count(), (int)s.Attribute("tests")!));

        var failing = Assert.Single(cases, c => ((string)c.Attribute("name")!).StartsWith("onlyjunk.dane.test:25 ", StringComparison.Ordinal));
        var failure = failing.Element("failure")!;
        Assert.Equal("Fail", (string)failure.Attribute("type")!);
        Assert.Equal("Fail: " + real.Failing.Summary, (string)failure.Attribute("message")!);
        Assert.Contains("_25._tcp.onlyjunk.dane.test. IN TLSA " + EndpointWorld.Ee311(_world.LeafEcdsa), failure.Value, StringComparison.Ordinal);
        var unreachable = Assert.Single(cases, c => ((string)c.Attribute("name")!).StartsWith("refused.dane.test:25", StringComparison.Ordinal));
        Assert.Equal("Unreachable", (string)unreachable.Element("failure")!.Attribute("type")!);
        var passing = Assert.Single(cases, c => (string)c.Attribute("classname")! == "DANE.endpoints" && ((string)c.Attribute("name")!).StartsWith("single.dane.test:25 ", StringComparison.Ordinal));
        Assert.Empty(passing.Elements());
        var warned = Assert.Single(cases, c => ((string)c.Attribute("name")!).StartsWith("junk.dane.test:25 ", StringComparison.Ordinal));
        Assert.Null(warned.Element("failure"));
        Assert.Contains("TooManyRecords", warned.Element("system-out")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hostile_text_is_escaped_and_read_back_and_NotDane_is_skipped()
    {
        var report = new DaneReport();
        report.Add(HostileResults.MailDomain("evil<domain>.test", DaneVerdict.Fail, HostileResults.Endpoint(DaneVerdict.Fail, mailDomain: "evil<domain>.test")));
        report.Add(HostileResults.Endpoint(DaneVerdict.NotDane, findingSeverity: null));
        var xml = report.Write(DaneReportFormat.JUnit);

        var lint = await FormatCheckers.XmllintAsync(xml, FormatCheckers.JUnitXsdPath);
        Assert.True(lint.ExitCode == 0, "xmllint --schema junit.xsd:\n" + lint.CombinedOutput + "\n" + xml);
        var cases = XDocument.Parse(xml).Descendants("testcase").ToList();
        var expectedText = "Summary: " + HostileResults.Text.Replace('\u0001', '\uFFFD');
        Assert.Equal("Fail: " + expectedText, (string)cases[0].Element("failure")!.Attribute("message")!);
        Assert.StartsWith(HostileResults.HostName + ":25", (string)cases[0].Attribute("name")!, StringComparison.Ordinal);
        Assert.Equal("DANE.evil<domain>.test", (string)cases[0].Attribute("classname")!);
        Assert.NotNull(cases[1].Element("skipped"));
        Assert.Equal(1, (int)XDocument.Parse(xml).Root!.Attribute("skipped")!);
    }

    [Fact]
    public async Task The_schema_is_not_a_rubber_stamp()
    {
        var xml = new DaneReport().Write(DaneReportFormat.JUnit);
        Assert.Equal(0, (await FormatCheckers.XmllintAsync(xml, FormatCheckers.JUnitXsdPath)).ExitCode);
        Assert.NotEqual(0, (await FormatCheckers.XmllintAsync(xml.Replace("tests=\"0\"", "tests=\"none\"", StringComparison.Ordinal), FormatCheckers.JUnitXsdPath)).ExitCode);
    }
}
