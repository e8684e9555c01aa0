using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using DanePS.Engine.Checking;
using DanePS.Engine.Dns;
using DanePS.Engine.Matching;
using DanePS.Engine.Reports;
using DanePS.Engine.Tls;
using DanePS.Engine.Tlsa;
using DanePS.Tests.Fixtures;
using Xunit;

namespace DanePS.Tests.Reports;

/// <summary>The JSON report against its published schema (docs/schemas/dane-report.schema.json), checked by Python's jsonschema.</summary>
[Collection("EndpointWorld")]
public sealed class JsonReportTests
{
    private readonly EndpointWorld _world;

    public JsonReportTests(EndpointWorld world) => _world = world;

    [Fact]
    public async Task Real_results_are_valid_against_the_schema_with_enums_as_names_and_the_record_that_would_fix_the_failure()
    {
        var real = RealResults.For(_world);
        var json = real.Report().Write(DaneReportFormat.Json);

        Assert.Equal(string.Empty, await FormatCheckers.JsonSchemaErrorsAsync(json));
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("Critical", root.GetProperty("status").GetString());
        Assert.Equal(2, root.GetProperty("exitCode").GetInt32());
        var domain = Assert.Single(root.GetProperty("mailDomains").EnumerateArray());
        Assert.Equal("mixedmail.test", domain.GetProperty("mailDomain").GetString());
        Assert.Equal("Fail", domain.GetProperty("verdict").GetString());
        Assert.Equal(real.MailDomain.DnssecValidation.ToString(), domain.GetProperty("dnssecValidation").GetString());
        Assert.Equal(real.MailDomain.TlsRptStatus.ToString(), domain.GetProperty("tlsRptStatus").GetString());
        Assert.Equal(real.MailDomain.Endpoints.Count, domain.GetProperty("endpoints").GetArrayLength());
        var endpoints = root.GetProperty("endpoints").EnumerateArray().ToList();
        Assert.Equal(real.Endpoints.Count, endpoints.Count);
        var failing = endpoints.Single(e => e.GetProperty("hostName").GetString() == "onlyjunk.dane.test");
        Assert.Equal("Fail", failing.GetProperty("verdict").GetString());
        Assert.Equal("Smtp", failing.GetProperty("startTls").GetString());
        Assert.Equal("_25._tcp.onlyjunk.dane.test. IN TLSA " + EndpointWorld.Ee311(_world.LeafEcdsa), failing.GetProperty("fixRecord").GetString());
        Assert.Equal(real.Failing.PresentedChain[0].NotAfter.ToUnixTimeSeconds(), DateTimeOffset.Parse(failing.GetProperty("certificateNotAfter").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds());
        Assert.NotEqual(JsonValueKind.Null, failing.GetProperty("signatureExpiration").ValueKind);
        var passing = endpoints.Single(e => e.GetProperty("hostName").GetString() == "single.dane.test");
        Assert.Equal(JsonValueKind.Null, passing.GetProperty("fixRecord").ValueKind);
        Assert.Contains(endpoints, e => e.GetProperty("findings").EnumerateArray().Any(f => f.GetProperty("code").GetString() == "TooManyRecords" && f.GetProperty("severity").GetString() == "Warning"));
    }

    [Fact]
    public async Task Hostile_text_and_every_verdict_round_trip_exactly_and_stay_valid()
    {
        var report = new DaneReport();
        foreach (var verdict in Enum.GetValues<DaneVerdict>())
        {
            report.Add(HostileResults.Endpoint(verdict));
        }

        report.Add(HostileResults.MailDomain("evil|domain.test", DaneVerdict.DnssecFailure));
        var json = report.Write(DaneReportFormat.Json);

        Assert.Equal(string.Empty, await FormatCheckers.JsonSchemaErrorsAsync(json));
        using var doc = JsonDocument.Parse(json);
        var endpoints = doc.RootElement.GetProperty("endpoints").EnumerateArray().ToList();
        Assert.Equal(Enum.GetNames<DaneVerdict>(), endpoints.Select(e => e.GetProperty("verdict").GetString()));
        Assert.All(endpoints, e =>
        {
            Assert.Equal(HostileResults.HostName, e.GetProperty("hostName").GetString());
            Assert.Equal("Summary: " + HostileResults.Text, e.GetProperty("summary").GetString());
            Assert.Equal("Finding: " + HostileResults.Text, e.GetProperty("findings")[0].GetProperty("message").GetString());
        });
    }

    [Fact]
    public async Task An_empty_report_is_Unknown_with_exit_code_3_and_still_valid()
    {
        var json = new DaneReport().Write(DaneReportFormat.Json);
        Assert.Equal(string.Empty, await FormatCheckers.JsonSchemaErrorsAsync(json));
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("Unknown", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal(3, doc.RootElement.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task The_schema_rejects_what_it_should()
    {
        // The validator is not a rubber stamp: a verdict as a number, or a missing property, is reported.
        var json = new DaneReport().Write(DaneReportFormat.Json);
        Assert.NotEqual(string.Empty, await FormatCheckers.JsonSchemaErrorsAsync(json.Replace("\"status\": \"Unknown\"", "\"status\": 3", StringComparison.Ordinal)));
        Assert.NotEqual(string.Empty, await FormatCheckers.JsonSchemaErrorsAsync(json.Replace("\"summary\"", "\"summery\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_schema_lists_exactly_the_names_of_the_engine_enums()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(FormatCheckers.SchemaPath));
        var defs = schema.RootElement.GetProperty("$defs");
        string[] Enum(string name) => defs.GetProperty(name).GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(System.Enum.GetNames<DaneVerdict>(), Enum("verdict"));
        Assert.Equal(System.Enum.GetNames<DaneReportStatus>(), Enum("status"));
        Assert.Equal(System.Enum.GetNames<DnssecStatus>(), Enum("dnssecStatus"));
        Assert.Equal(System.Enum.GetNames<StartTlsProtocol>(), Enum("startTls"));
        Assert.Equal(System.Enum.GetNames<TlsaRecordOutcome>(), Enum("recordOutcome"));
        Assert.Equal(System.Enum.GetNames<TlsProbeFailure>(), Enum("connectionFailure"));
        Assert.Equal(System.Enum.GetNames<DaneFindingCode>(), defs.GetProperty("finding").GetProperty("properties").GetProperty("code").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        var domain = defs.GetProperty("mailDomain").GetProperty("properties");
        Assert.Equal(System.Enum.GetNames<DanePS.Engine.TlsRpt.TlsRptRecordStatus>(), domain.GetProperty("tlsRptStatus").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(new[] { nameof(DanePS.Engine.Dns.DnssecValidationMode.Resolver), nameof(DanePS.Engine.Dns.DnssecValidationMode.Local) }, domain.GetProperty("dnssecValidation").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(System.Enum.GetNames<FindingSeverity>(), defs.GetProperty("finding").GetProperty("properties").GetProperty("severity").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }
}
