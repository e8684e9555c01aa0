using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using DanePS.Engine.Checking;
using DanePS.Engine.Reports;
using DanePS.Tests.Fixtures;
using Xunit;

namespace DanePS.Tests.Reports;

/// <summary>
/// The Prometheus text exposition for node_exporter's textfile collector, read back by the Prometheus Python client's
/// parser and linted by promtool check metrics.
/// </summary>
[Collection("EndpointWorld")]
public sealed class PrometheusReportTests
{
    private static readonly Regex MetricName = new("^[a-zA-Z_:][a-zA-Z0-9_:]*$");
    private static readonly Regex LabelName = new("^[a-zA-Z_][a-zA-Z0-9_]*$");
    private readonly EndpointWorld _world;

    public PrometheusReportTests(EndpointWorld world) => _world = world;

    [Fact]
    public async Task Real_results_parse_with_one_gauge_per_endpoint_verdict_and_expiry_timestamps()
    {
        var real = RealResults.For(_world);
        var report = real.Report();
        var text = report.Write(DaneReportFormat.Prometheus);

        var families = await FormatCheckers.ParsePrometheusAsync(text);
        Assert.All(families, f => Assert.Equal("gauge", f.Type));
        Assert.All(families, f => Assert.Matches(MetricName, f.Name));
        Assert.All(families.SelectMany(f => f.Samples).SelectMany(s => s.Labels.Keys), l => Assert.Matches(LabelName, l));
        Assert.Equal(families.Count, families.Select(f => f.Name).Distinct().Count());

        var verdicts = Family(families, "dane_endpoint_verdict");
        var endpointCount = real.Endpoints.Count + real.MailDomain.Endpoints.Count;
        Assert.Equal(endpointCount * Enum.GetNames<DaneVerdict>().Length, verdicts.Samples.Count);
        // Exactly one verdict is 1 for each endpoint.
        Assert.All(verdicts.Samples.GroupBy(s => Key(s)), g => Assert.Single(g, s => s.Value == 1));
        var fail = Assert.Single(verdicts.Samples, s => s.Labels["host"] == "onlyjunk.dane.test" && s.Value == 1);
        Assert.Equal("Fail", fail.Labels["verdict"]);
        Assert.Equal("25", fail.Labels["port"]);
        Assert.Equal(real.Failing.Address, fail.Labels["address"]);
        Assert.Equal(real.Failing.PublicKey, fail.Labels["public_key"]);
        Assert.Contains(verdicts.Samples, s => s.Labels["mail_domain"] == "mixedmail.test" && s.Labels["host"] == "stalemx.dane.test" && s.Labels["verdict"] == "Fail" && s.Value == 1);

        var certificates = Family(families, "dane_endpoint_certificate_expiry_timestamp_seconds");
        var failingCertificate = Assert.Single(certificates.Samples, s => s.Labels["host"] == "onlyjunk.dane.test");
        Assert.Equal(real.Failing.PresentedChain[0].NotAfter.ToUnixTimeSeconds(), failingCertificate.Value);
        var signatures = Family(families, "dane_tlsa_signature_expiry_timestamp_seconds");
        var signature = Assert.Single(signatures.Samples, s => s.Labels["host"] == "onlyjunk.dane.test");
        Assert.Equal(real.Failing.TlsaSignatureExpiration!.Value.ToUnixTimeSeconds(), signature.Value);
        Assert.Equal("_25._tcp.onlyjunk.dane.test.", signature.Labels["owner"]);
        Assert.True(signature.Value > DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        var run = Assert.Single(Family(families, "dane_report_timestamp_seconds").Samples);
        Assert.Equal(report.Generated.ToUnixTimeSeconds(), run.Value);
        Assert.Equal(2, Assert.Single(Family(families, "dane_report_status").Samples).Value);
        Assert.Contains(Family(families, "dane_mail_domain_verdict").Samples, s => s.Labels["mail_domain"] == "mixedmail.test" && s.Labels["verdict"] == "Fail" && s.Value == 1);

        var lint = await FormatCheckers.PromtoolAsync(text);
        Assert.True(lint.ExitCode == 0, "promtool check metrics:\n" + lint.CombinedOutput);
    }

    [Fact]
    public void Each_family_has_its_HELP_and_TYPE_line_once_before_all_its_samples()
    {
        var text = RealResults.For(_world).Report().Write(DaneReportFormat.Prometheus);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var order = new List<string>();
        foreach (var line in lines)
        {
            var name = line.StartsWith('#') ? line.Split(' ')[2] : Regex.Match(line, "^[a-zA-Z_:][a-zA-Z0-9_:]*").Value;
            if (order.Count == 0 || order[^1] != name)
            {
                Assert.DoesNotContain(name, order);
                order.Add(name);
            }
        }

        foreach (var name in order)
        {
            Assert.Single(lines, l => l == $"# TYPE {name} gauge");
            Assert.Single(lines, l => l.StartsWith($"# HELP {name} ", StringComparison.Ordinal));
        }

        Assert.EndsWith("\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hostile_label_values_are_escaped_and_read_back_exactly()
    {
        var report = new DaneReport();
        report.Add(HostileResults.Endpoint(DaneVerdict.Fail, mailDomain: "x\\\"\n.test", signatureExpiration: DateTimeOffset.UtcNow.AddDays(3)));
        report.Add(HostileResults.Endpoint(DaneVerdict.Pass, address: "192.0.2.8"));
        var text = report.Write(DaneReportFormat.Prometheus);

        Assert.Contains("host=\"evil\\\"|<b>host\\\\x.test\"", text, StringComparison.Ordinal);
        var families = await FormatCheckers.ParsePrometheusAsync(text);
        var samples = Family(families, "dane_endpoint_verdict").Samples;
        Assert.All(samples, s => Assert.Equal(HostileResults.HostName, s.Labels["host"]));
        Assert.Contains(samples, s => s.Labels["mail_domain"] == "x\\\"\n.test" && s.Labels["verdict"] == "Fail" && s.Value == 1);
        var lint = await FormatCheckers.PromtoolAsync(text);
        Assert.True(lint.ExitCode == 0, "promtool check metrics:\n" + lint.CombinedOutput);
    }

    [Fact]
    public async Task The_same_endpoint_twice_is_one_series_and_an_empty_report_still_parses()
    {
        var one = HostileResults.Endpoint(DaneVerdict.Pass, hostName: "twice.test");
        var report = new DaneReport();
        report.Add(one);
        report.Add(one);
        var families = await FormatCheckers.ParsePrometheusAsync(report.Write(DaneReportFormat.Prometheus));
        Assert.Equal(Enum.GetNames<DaneVerdict>().Length, Family(families, "dane_endpoint_verdict").Samples.Count);

        var empty = new DaneReport().Write(DaneReportFormat.Prometheus);
        Assert.Equal(3, Assert.Single(Family(await FormatCheckers.ParsePrometheusAsync(empty), "dane_report_status").Samples).Value);
        Assert.Equal(0, (await FormatCheckers.PromtoolAsync(empty)).ExitCode);
    }

    [Fact]
    public async Task The_parser_and_promtool_are_not_rubber_stamps()
    {
        // An unescaped quote in a label value, and a family without its TYPE in the wrong place, are caught.
        var broken = "# HELP x_seconds a\n# TYPE x_seconds gauge\nx_seconds{host=\"a\"b\"} 1\n";
        var parse = await FormatCheckers.PromtoolAsync(broken);
        Assert.NotEqual(0, parse.ExitCode);
        var counter = await FormatCheckers.PromtoolAsync("# HELP x a\n# TYPE x counter\nx 1\n");
        Assert.NotEqual(0, counter.ExitCode);
    }

    private static string Key(FormatCheckers.MetricSample s) =>
        string.Join("|", s.Labels.Where(l => l.Key != "verdict").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value));

    private static FormatCheckers.MetricFamily Family(List<FormatCheckers.MetricFamily> families, string name) =>
        families.SingleOrDefault(f => f.Name == name) ?? throw new Xunit.Sdk.XunitException($"No metric family {name}: {string.Join(", ", families.Select(f => f.Name))}");
}
