using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using DanePS.Tests.Fixtures;
using DanePS.Tests.Module;
using Xunit;

namespace DanePS.Tests.Reports;

/// <summary>ConvertTo-DaneReport in a real runspace: what it takes from the pipeline, what it writes, and where.</summary>
[Collection("EndpointWorld")]
public sealed class ConvertToDaneReportTests : IDisposable
{
    private readonly EndpointWorld _world;
    private readonly ModuleSession _session = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("daneps-report-cmdlet-").FullName;

    public ConvertToDaneReportTests(EndpointWorld world) => _world = world;

    public void Dispose()
    {
        _session.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private const string TwoEndpoints =
        "'single.dane.test', 'onlyjunk.dane.test' | ForEach-Object { Test-DaneEndpoint -HostName $_ -Port 25 -Server $resolver -TimeoutSec 5 -WarningAction SilentlyContinue }";

    private System.Collections.ObjectModel.Collection<PSObject> Run(string script) =>
        _session.Run(script, _world.Variables(("folder", _folder)));

    [Fact]
    public void Every_piped_result_goes_into_one_report_string_that_carries_the_exit_code()
    {
        var output = Run(TwoEndpoints + " | ConvertTo-DaneReport -Format Nagios");

        var report = Assert.Single(output);
        var text = Assert.IsType<string>(report.BaseObject);
        Assert.StartsWith("DANE CRITICAL - 2 endpoint(s) (1 Fail, 1 Pass)", text, StringComparison.Ordinal);
        Assert.Equal(2, report.Properties["ExitCode"].Value);
        Assert.Equal("Critical", report.Properties["Status"].Value.ToString());
        Assert.Empty(_session.LastErrors);

        // As a script uses it: the exit code of the variable that holds the report.
        Assert.Equal(2, Run("$r = " + TwoEndpoints + " | ConvertTo-DaneReport Nagios; $r.ExitCode").Single().BaseObject);
    }

    [Fact]
    public void TLS_RPT_summaries_are_passed_over_without_an_error()
    {
        var report = Path.Combine(_folder, "google.json");
        File.WriteAllText(report, TlsRpt.TlsRptSamples.GoogleDane());
        var output = Run($"@(Test-DaneEndpoint single.dane.test -Port 25 -Server $resolver -TimeoutSec 5) + @(Get-TlsRptReport '{report}' -Summary) | ConvertTo-DaneReport Json");

        Assert.Empty(_session.LastErrors);
        Assert.Contains(Run($"Get-TlsRptReport '{report}' -Summary"), o => o.BaseObject is DanePS.Engine.TlsRpt.TlsRptSummary);
        using var json = JsonDocument.Parse((string)Assert.Single(output).BaseObject);
        Assert.Equal("single.dane.test", Assert.Single(json.RootElement.GetProperty("endpoints").EnumerateArray()).GetProperty("hostName").GetString());
        Assert.Equal("Ok", json.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public void Other_objects_are_errors_and_the_rest_is_reported_while_a_summary_with_an_exit_code_is_passed_over()
    {
        var output = Run("$summary = [pscustomobject]@{ Endpoints = 1; ExitCode = 0 }; @(Test-DaneEndpoint single.dane.test -Port 25 -Server $resolver -TimeoutSec 5) + 'not a result' + $summary | ConvertTo-DaneReport Json");

        var error = Assert.Single(_session.LastErrors);
        Assert.Equal("ConvertToDaneReportUnsupportedInput,DanePS.Commands.ConvertToDaneReportCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidType, error.CategoryInfo.Category);
        Assert.Equal("not a result", error.TargetObject?.ToString());
        using var json = JsonDocument.Parse((string)Assert.Single(output).BaseObject);
        Assert.Equal("single.dane.test", Assert.Single(json.RootElement.GetProperty("endpoints").EnumerateArray()).GetProperty("hostName").GetString());
        Assert.Equal("Ok", json.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public void Get_TlsaRecord_answers_give_record_counts_and_signature_expiry_without_a_verdict()
    {
        var text = (string)Run("Get-TlsaRecord single.dane.test -Port 25 -Server $resolver | ConvertTo-DaneReport Prometheus").Single().BaseObject;
        Assert.Contains("dane_tlsa_records{host=\"single.dane.test\",port=\"25\",owner=\"_25._tcp.single.dane.test.\"} 1\n", text, StringComparison.Ordinal);
        Assert.Matches("dane_tlsa_signature_expiry_timestamp_seconds\\{host=\"single.dane.test\",port=\"25\",owner=\"_25._tcp.single.dane.test.\"\\} [0-9]{10}\n", text);
        Assert.DoesNotContain("dane_endpoint_verdict{", text, StringComparison.Ordinal);
        Assert.Empty(_session.LastErrors);
    }

    [Fact]
    public void Path_is_relative_to_the_PowerShell_location_and_writes_the_file_alone()
    {
        var output = Run("[void]$ExecutionContext.SessionState.Path.SetLocation($folder); " + TwoEndpoints + " | ConvertTo-DaneReport Prometheus -Path dane.prom");

        Assert.Empty(output);
        Assert.Empty(_session.LastErrors);
        Assert.Equal(new[] { "dane.prom" }, Directory.GetFiles(_folder).Select(Path.GetFileName));
        var text = File.ReadAllText(Path.Combine(_folder, "dane.prom"));
        Assert.Contains("dane_endpoint_verdict{mail_domain=\"\",host=\"onlyjunk.dane.test\"", text, StringComparison.Ordinal);

        var passThru = Run("Test-DaneEndpoint single.dane.test -Port 25 -Server $resolver -TimeoutSec 5 | ConvertTo-DaneReport Html -Path ($folder + '/r.html') -PassThru");
        Assert.Equal(File.ReadAllText(Path.Combine(_folder, "r.html")), Assert.Single(passThru).BaseObject);
        Assert.Equal(0, passThru[0].Properties["ExitCode"].Value);
    }

    [Fact]
    public void A_path_that_cannot_take_the_report_is_an_error_and_WhatIf_writes_nothing()
    {
        Run("@() | ConvertTo-DaneReport Json -Path $folder");
        var directory = Assert.Single(_session.LastErrors);
        Assert.Equal("ConvertToDaneReportNotAFile,DanePS.Commands.ConvertToDaneReportCommand", directory.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, directory.CategoryInfo.Category);

        Run("@() | ConvertTo-DaneReport Json -Path Env:\\DANEPS_REPORT");
        Assert.Equal("ConvertToDaneReportNotAFile,DanePS.Commands.ConvertToDaneReportCommand", Assert.Single(_session.LastErrors).FullyQualifiedErrorId);

        Run("@() | ConvertTo-DaneReport Json -Path ($folder + '/missing/r.json')");
        var missing = Assert.Single(_session.LastErrors);
        Assert.Equal("ConvertToDaneReportWriteFailed,DanePS.Commands.ConvertToDaneReportCommand", missing.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.WriteError, missing.CategoryInfo.Category);
        Assert.IsAssignableFrom<IOException>(missing.Exception.InnerException);

        Run("@() | ConvertTo-DaneReport Json -Path ($folder + '/r.json') -WhatIf");
        Assert.Empty(_session.LastErrors);
        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }
}
