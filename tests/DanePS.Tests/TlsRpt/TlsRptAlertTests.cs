using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DanePS.Engine.Alerts;
using DanePS.Tests.Alerts;
using DanePS.Tests.Fixtures.Http;
using DanePS.Tests.Module;
using Xunit;

namespace DanePS.Tests.TlsRpt;

/// <summary>Failures the senders reported, piped from Get-TlsRptReport to Send-DaneAlert: one alert per incident per suppression window.</summary>
public sealed class TlsRptAlertTests : IAsyncLifetime
{
    private readonly ModuleSession _session = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("daneps-tlsrpt-alerts-").FullName;
    private LoopbackHttpRecorder _http = null!;

    public Task InitializeAsync()
    {
        _http = LoopbackHttpRecorder.Start();
        File.WriteAllBytes(Path.Combine(_folder, "google-29.json.gz"), TlsRptSamples.Gzip(TlsRptSamples.GoogleDane(day: "2026-11-29", failures: 5)));
        File.WriteAllBytes(Path.Combine(_folder, "google-30.json.gz"), TlsRptSamples.Gzip(TlsRptSamples.GoogleDane(day: "2026-11-30", failures: 7)));
        File.WriteAllText(Path.Combine(_folder, "microsoft.json"), TlsRptSamples.MicrosoftMultiple);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _http.DisposeAsync();
        _session.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private List<AlertDelivery> Alert(string reportSwitch) => _session.Run<AlertDelivery>(
        "$hook = New-DaneAlertChannel -Webhook -WebhookUrl $hookUrl -Name hook -MaxAttempts 1\n"
        + $"Get-TlsRptReport $reports/*.json* {reportSwitch} | Send-DaneAlert -Channel $hook -StatePath $state",
        new Dictionary<string, object?>
        {
            ["reports"] = _folder,
            ["state"] = Path.Combine(_folder, "state", "alerts.json"),
            ["hookUrl"] = AlertTestData.Secure(_http.Url("hook/path").ToString()),
        });

    [Fact]
    public void Each_mx_host_and_result_type_is_one_incident_announced_once_however_it_arrives()
    {
        var first = Alert("-FailureDetail");
        Assert.Empty(_session.LastErrors);
        Assert.Equal(3, first.Count); // tlsa-invalid (two reports), certificate-host-mismatch, dnssec-invalid at mx1
        Assert.All(first, d => Assert.Equal(AlertDeliveryStatus.Sent, d.Status));
        Assert.Equal(3, _http.Requests.Count);
        var tlsa = _http.Requests.Single(r => r.Body.Contains("tlsa-invalid", StringComparison.Ordinal)).Body;
        Assert.Contains("mx1.dane.example", tlsa, StringComparison.Ordinal);
        Assert.Contains("12 failed session(s)", tlsa, StringComparison.Ordinal);
        Assert.Contains("Google Inc.", tlsa, StringComparison.Ordinal);

        // The same failures again, as failure details or as a summary: the same incidents, held back.
        Assert.All(Alert("-FailureDetail"), d => Assert.Equal(AlertDeliveryStatus.Suppressed, d.Status));
        var summaries = Alert("-Summary");
        Assert.Equal(3, summaries.Count);
        Assert.All(summaries, d => Assert.Equal(AlertDeliveryStatus.Suppressed, d.Status));
        Assert.Equal(3, _http.Requests.Count);
        Assert.Empty(_session.LastErrors);
    }

    [Fact]
    public void Policy_results_alert_their_failures_and_a_report_without_failures_sends_nothing()
    {
        File.Delete(Path.Combine(_folder, "google-29.json.gz"));
        File.Delete(Path.Combine(_folder, "google-30.json.gz"));
        var deliveries = Alert(string.Empty);
        Assert.Empty(_session.LastErrors);
        Assert.Equal(2, deliveries.Count);
        Assert.DoesNotContain(_http.Requests, r => r.Body.Contains("other.example", StringComparison.Ordinal)); // no-policy-found, no failures
    }
}
