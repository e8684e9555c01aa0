using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using DanePS.Engine.Alerts;
using DanePS.Engine.Checking;
using DanePS.Engine.Monitoring;
using DanePS.Tests.Fixtures;
using DanePS.Tests.Fixtures.Http;
using DanePS.Tests.Fixtures.Servers;
using DanePS.Tests.Module;
using Xunit;

namespace DanePS.Tests.Monitoring;

/// <summary>
/// Invoke-DaneMonitor against the endpoint world (signed zones behind Unbound, Postfix and nginx): the results
/// Test-DaneEndpoint and Test-DaneMailDomain would give, exactly the expected alerts once on loopback stand-ins for
/// Telegram and a webhook, none on the second run, and the exit code.
/// </summary>
[Collection("EndpointWorld")]
public sealed class MonitorRunTests : IAsyncLifetime
{
    private const string Token = "555111:MONITOR-bot_token";
    private readonly EndpointWorld _world;
    private readonly ModuleSession _session = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("daneps-monitor-").FullName;
    private LoopbackHttpRecorder _http = null!;

    public MonitorRunTests(EndpointWorld world) => _world = world;

    public Task InitializeAsync()
    {
        _http = LoopbackHttpRecorder.Start();
        Environment.SetEnvironmentVariable("DANEPS_MONITOR_TEST_TOKEN", Token);
        Environment.SetEnvironmentVariable("DANEPS_MONITOR_TEST_HOOK", _http.Url("hook/SECRET-HOOK-PATH").ToString());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _http.DisposeAsync();
        _session.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private List<RecordedRequest> Telegram => _http.Requests.Where(r => r.Path.StartsWith("/bot", StringComparison.Ordinal)).ToList();

    private List<RecordedRequest> Hook => _http.Requests.Where(r => r.Path.StartsWith("/hook", StringComparison.Ordinal)).ToList();

    /// <summary>A settings file for the world: a failing, a passing and a warning endpoint, a failing and a passing mail domain.</summary>
    private string SettingsFile(string endpoints = "'onlyjunk.dane.test', 'single.dane.test', 'junk.dane.test:25'", string domains = "'mixedmail.test', 'goodmail.test'", string name = "monitor.psd1")
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, $$"""
            @{
                Endpoints   = @({{endpoints}})
                MailDomains = @({{domains}})
                Dns         = @{ Server = '{{_world.Resolver}}' }
                Checks      = @{ TimeoutSec = 5 }
                Alerts      = @{
                    StatePath = 'state/alerts.json'
                    Channels  = @(
                        @{ Type = 'Telegram'; Name = 'tg'; BotToken = 'env:DANEPS_MONITOR_TEST_TOKEN'; ChatId = 42; BaseAddress = '{{_http.BaseAddress}}'; RetryBudgetSec = 5 }
                        @{ Type = 'Webhook'; Name = 'hook'; WebhookUrl = 'env:DANEPS_MONITOR_TEST_HOOK'; MinimumSeverity = 'Warning'; MaxAttempts = 2; RetryBudgetSec = 5 }
                    )
                }
            }
            """);
        return path;
    }

    private (List<DaneEndpointResult> Endpoints, List<DaneMailDomainResult> Domains, MonitorSummary Summary) Monitor(string path)
    {
        var output = _session.Run($"Invoke-DaneMonitor -Path '{path}' -WarningAction SilentlyContinue").Select(o => o.BaseObject).ToList();
        var summary = Assert.IsType<MonitorSummary>(output[^1]);
        Assert.Single(output.OfType<MonitorSummary>());
        return (output.OfType<DaneEndpointResult>().ToList(), output.OfType<DaneMailDomainResult>().ToList(), summary);
    }

    [Fact]
    public void The_failures_and_warnings_are_told_once_each_and_the_second_run_tells_nobody()
    {
        var path = SettingsFile();
        var (endpoints, domains, summary) = Monitor(path);
        Assert.Empty(_session.LastErrors);

        // The same results the Test- cmdlets give.
        Assert.Equal(new[] { "junk.dane.test", "onlyjunk.dane.test", "single.dane.test" }, endpoints.Select(e => e.HostName).Distinct().Order(StringComparer.Ordinal));
        Assert.All(endpoints.Where(e => e.HostName == "onlyjunk.dane.test"), e => Assert.Equal(DaneVerdict.Fail, e.Verdict));
        Assert.Equal(new[] { ("goodmail.test", DaneVerdict.Pass), ("mixedmail.test", DaneVerdict.Fail) }, domains.Select(d => (d.MailDomain, d.Verdict)).Order());

        // Telegram hears failures: onlyjunk and mixedmail's stalemx; the webhook hears the warning of junk too.
        Assert.Equal(2, summary.ExitCode);
        Assert.Equal((3, 2), (summary.Endpoints, summary.MailDomains));
        Assert.Equal((3, 2, 0), (summary.Pass, summary.Fail, summary.Errors));
        Assert.True(summary.Warnings >= 1);
        Assert.Equal((5, 0, 0), (summary.AlertsSent, summary.AlertsSuppressed, summary.AlertsFailed));
        Assert.Equal(new[] { "onlyjunk.dane.test:25", "stalemx.dane.test:25" }, summary.Alerts.Where(a => a.Channel == "tg").Select(a => a.Endpoint).Order(StringComparer.Ordinal));
        Assert.Equal(new[] { "junk.dane.test:25", "onlyjunk.dane.test:25", "stalemx.dane.test:25" }, summary.Alerts.Where(a => a.Channel == "hook").Select(a => a.Endpoint).Order(StringComparer.Ordinal));
        Assert.Equal(2, Telegram.Count);
        Assert.Equal(3, Hook.Count);
        Assert.All(Telegram, r => Assert.Equal("/bot" + Token + "/sendMessage", r.Path));
        Assert.True(File.Exists(Path.Combine(_folder, "state", "alerts.json")), "the state file lies beside the settings file");

        // Nothing changed: nothing is said again.
        var (_, _, again) = Monitor(path);
        Assert.Equal(2, again.ExitCode);
        Assert.Equal((0, 5), (again.AlertsSent, again.AlertsSuppressed));
        Assert.Equal(5, _http.Requests.Count);

        // Secrets never reach the output.
        Assert.DoesNotContain("SECRET-HOOK-PATH", _session.HostOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, string.Join("\n", _session.LastVerbose.Select(v => v.Message)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_exit_code_is_0_when_all_pass_and_1_for_warnings_only()
    {
        var (_, _, pass) = Monitor(SettingsFile("'single.dane.test'", "'goodmail.test'", "pass.psd1"));
        Assert.Equal((0, MonitorStatus.Ok, 2), (pass.ExitCode, pass.Status, pass.Pass));
        Assert.Empty(_http.Requests);

        var (_, _, warn) = Monitor(SettingsFile("'junk.dane.test'", "'goodmail.test'", "warn.psd1"));
        Assert.Equal((1, MonitorStatus.Warning), (warn.ExitCode, warn.Status));
        Assert.Equal(1, warn.AlertsSent);
        Assert.Single(Hook);
        Assert.Empty(Telegram);
    }

    [Fact]
    public void A_resolver_that_does_not_answer_is_exit_code_3_and_no_alert_storm()
    {
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)silent.Client.LocalEndPoint!).Port;
        var output = _session.Run($"Invoke-DaneMonitor -HostName onlyjunk.dane.test -Server 127.0.0.1:{port} -StatePath '{_folder}/s.json' -Channel (New-DaneAlertChannel -Webhook -WebhookUrl ([System.Net.NetworkCredential]::new('', $env:DANEPS_MONITOR_TEST_HOOK).SecurePassword)) -WarningAction SilentlyContinue");
        var summary = Assert.IsType<MonitorSummary>(output.Select(o => o.BaseObject).Last());
        Assert.Equal(3, summary.ExitCode);
        Assert.Contains(_session.LastErrors, e => e.FullyQualifiedErrorId.StartsWith("InvokeDaneMonitorResolverNotAnswering", StringComparison.Ordinal));
        Assert.Empty(_http.Requests);
    }

    [Fact]
    public void WhatIf_lists_targets_and_channels_and_sends_and_asks_nothing()
    {
        using var resolver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)resolver.Client.LocalEndPoint!).Port;
        var path = SettingsFile();
        File.WriteAllText(path, File.ReadAllText(path).Replace(_world.Resolver, "127.0.0.1:" + port, StringComparison.Ordinal));
        var output = _session.Run($"Invoke-DaneMonitor -Path '{path}' -WhatIf");
        Assert.Empty(output);
        Assert.Empty(_session.LastErrors);
        var said = _session.HostOutput;
        foreach (var target in new[] { "onlyjunk.dane.test:25 (TLS Auto)", "single.dane.test:25 (TLS Auto)", "junk.dane.test:25 (TLS Auto)", "mail domain mixedmail.test", "mail domain goodmail.test" })
        {
            Assert.Contains($"on target \"{target}\"", said, StringComparison.Ordinal);
        }

        Assert.Contains("on target \"tg (Telegram", said, StringComparison.Ordinal);
        Assert.Contains("on target \"hook (Webhook", said, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-HOOK-PATH", said, StringComparison.Ordinal);
        System.Threading.Thread.Sleep(300);
        Assert.Equal(0, resolver.Available); // no DNS query
        Assert.Empty(_http.Requests);
        Assert.False(Directory.Exists(Path.Combine(_folder, "state")));
    }

    [Fact]
    public void Watch_mode_repeats_runs_alerting_once_across_them()
    {
        var path = SettingsFile("'onlyjunk.dane.test'", "'goodmail.test'", "watch.psd1");
        var summaries = _session.RunUntil($"Invoke-DaneMonitor -Path '{path}' -Interval 1 -WarningAction SilentlyContinue", o => o.OfType<MonitorSummary>().Count() >= 3, TimeSpan.FromSeconds(60))
            .OfType<MonitorSummary>().ToList();
        Assert.True(summaries.Count == 3, string.Join("\n", _session.LastErrors));
        Assert.Equal(new[] { 1, 2, 3 }, summaries.Select(s => s.Run));
        Assert.Equal(new[] { 2, 0, 0 }, summaries.Select(s => s.AlertsSent));
        Assert.Equal(new[] { 0, 2, 2 }, summaries.Select(s => s.AlertsSuppressed));
        Assert.Equal(2, _http.Requests.Count);
    }

    [Fact]
    public void Watch_mode_stops_within_a_second_of_Ctrl_C()
    {
        var path = SettingsFile("'onlyjunk.dane.test', 'refused.dane.test', 'single.dane.test:443'", "'goodmail.test', 'mixedmail.test'", "stop.psd1");
        var (wasRunning, took) = _session.StopAfter($"Invoke-DaneMonitor -Path '{path}' -Interval 60 -WarningAction SilentlyContinue", TimeSpan.FromSeconds(4));
        Assert.True(wasRunning, string.Join("\n", _session.LastErrors));
        Assert.True(took < TimeSpan.FromSeconds(1.5), $"stopping took {took}");
    }

    /// <summary>A settings file that checks one passing endpoint and reads the fixture report mailbox; Telegram hears failures.</summary>
    private string MailboxSettingsFile(string passwordVariable = "DANEPS_MONITOR_TEST_IMAP", string extra = "SkipCertificateCheck = $true")
    {
        var path = Path.Combine(_folder, "tlsrpt.psd1");
        File.WriteAllText(path, $$"""
            @{
                Endpoints     = @('single.dane.test')
                Dns           = @{ Server = '{{_world.Resolver}}' }
                Checks        = @{ TimeoutSec = 5 }
                Alerts        = @{
                    StatePath = 'state/tlsrpt-alerts.json'
                    Channels  = @( @{ Type = 'Telegram'; Name = 'tg'; BotToken = 'env:DANEPS_MONITOR_TEST_TOKEN'; ChatId = 42; BaseAddress = '{{_http.BaseAddress}}'; RetryBudgetSec = 5 } )
                }
                TlsRptMailbox = @{
                    Server   = '{{_world.ReportMailbox.ImapsEndpoint.Address}}'
                    Port     = {{_world.ReportMailbox.ImapsEndpoint.Port}}
                    UserName = '{{ReportMailboxTestServer.UserName}}'
                    Password = 'env:{{passwordVariable}}'
                    {{extra}}
                }
            }
            """);
        return path;
    }

    [Fact]
    public void The_TLS_RPT_mailbox_is_read_each_run_its_failures_are_emitted_and_told_once()
    {
        Environment.SetEnvironmentVariable("DANEPS_MONITOR_TEST_IMAP", ReportMailboxTestServer.Password);
        var path = MailboxSettingsFile();
        var output = _session.Run($"Invoke-DaneMonitor -Path '{path}' -WarningAction SilentlyContinue").Select(o => o.BaseObject).ToList();
        Assert.Empty(_session.LastErrors);
        var summary = Assert.IsType<MonitorSummary>(output[^1]);
        var reported = output.OfType<DanePS.Engine.TlsRpt.TlsRptSummary>().ToList();

        // The senders' failures, as Get-TlsRptReport summarizes them, after every result and before the summary.
        Assert.Contains(reported, r => r.ResultType == "tlsa-invalid" && r.ReceivingMxHostname == "mx1.dane.example" && r.FailedSessionCount >= 12);
        Assert.True(output.FindLastIndex(o => o is DaneEndpointResult) < output.FindIndex(o => o is DanePS.Engine.TlsRpt.TlsRptSummary));
        Assert.All(output.Where(o => o is DaneEndpointResult).Cast<DaneEndpointResult>(), e => Assert.Equal(DaneVerdict.Pass, e.Verdict));
        Assert.True(summary.TlsRptMailbox);
        Assert.Null(summary.TlsRptError);
        Assert.Equal(reported.Count, summary.TlsRptSummaries);
        Assert.Equal(reported.Sum(r => r.FailedSessionCount), summary.TlsRptFailedSessions);
        Assert.Equal(3, summary.TlsRptReports); // Google, Microsoft (three policies) and Company-X
        Assert.Equal(1, summary.TlsRptUnreadable); // the mail without a report: told as a verbose line, not an error
        Assert.Equal(1, summary.ExitCode); // the endpoint passes; reported failures are of the past: a warning

        // One alert per reported failure, and nothing for the passing endpoint.
        Assert.Equal((reported.Count, 0), (summary.AlertsSent, summary.AlertsSuppressed));
        Assert.Equal(reported.Count, Telegram.Count);
        Assert.All(Telegram, r => Assert.Contains("RFC 8460", r.Body, StringComparison.Ordinal));

        // The same reports again: nobody is told again.
        var again = Assert.IsType<MonitorSummary>(_session.Run($"Invoke-DaneMonitor -Path '{path}' -WarningAction SilentlyContinue").Select(o => o.BaseObject).Last());
        Assert.Equal((0, reported.Count), (again.AlertsSent, again.AlertsSuppressed));
        Assert.Equal(reported.Count, Telegram.Count);
        Assert.DoesNotContain(ReportMailboxTestServer.Password, _session.HostOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void A_TLS_RPT_mailbox_that_cannot_be_read_is_a_warning_with_its_own_error_and_WhatIf_does_not_connect()
    {
        Environment.SetEnvironmentVariable("DANEPS_MONITOR_TEST_IMAP_WRONG", "not-the-password");
        var path = MailboxSettingsFile("DANEPS_MONITOR_TEST_IMAP_WRONG");
        var summary = Assert.IsType<MonitorSummary>(_session.Run($"Invoke-DaneMonitor -Path '{path}' -WarningAction SilentlyContinue").Select(o => o.BaseObject).Last());
        var error = Assert.Single(_session.LastErrors);
        Assert.Equal("InvokeDaneMonitorTlsRptLoginFailed", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(System.Management.Automation.ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.StartsWith("imap://tls-reports@", (string)error.TargetObject, StringComparison.Ordinal);
        Assert.NotNull(summary.TlsRptError);
        Assert.Equal((1, 0), (summary.ExitCode, summary.AlertsSent));
        Assert.Empty(Telegram);

        // Without SkipCertificateCheck the fixture's private certificate fails TLS: the mailbox is unavailable.
        Environment.SetEnvironmentVariable("DANEPS_MONITOR_TEST_IMAP", ReportMailboxTestServer.Password);
        path = MailboxSettingsFile(extra: string.Empty);
        summary = Assert.IsType<MonitorSummary>(_session.Run($"Invoke-DaneMonitor -Path '{path}' -WarningAction SilentlyContinue").Select(o => o.BaseObject).Last());
        Assert.Equal("InvokeDaneMonitorTlsRptMailboxUnavailable", Assert.Single(_session.LastErrors).FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(1, summary.ExitCode);

        // -WhatIf lists the mailbox and reads nothing.
        _session.ClearHostOutput();
        Assert.Empty(_session.Run($"Invoke-DaneMonitor -Path '{path}' -WhatIf"));
        Assert.Contains($"on target \"TLS-RPT mailbox imap://tls-reports@{_world.ReportMailbox.ImapsEndpoint.Address}:{_world.ReportMailbox.ImapsEndpoint.Port}/INBOX (ImplicitTls)\"", _session.HostOutput, StringComparison.Ordinal);
        Assert.Empty(_session.LastErrors);
    }
}
