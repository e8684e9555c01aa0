using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using DanePS.Engine.Alerts;
using DanePS.Engine.Dns;
using DanePS.Engine.Monitoring;
using DanePS.Engine.Tls;
using DanePS.Tests.Module;
using Xunit;

namespace DanePS.Tests.Monitoring;

/// <summary>
/// Invoke-DaneMonitor's settings, validated before anything runs: each kind of problem is reported with its key path
/// and the line it is written on, all at once, and the run does not start (exit code 3). Nothing here has a resolver
/// or a server: a run that started would be an error of its own.
/// </summary>
public sealed class MonitorSettingsTests : IDisposable
{
    private readonly ModuleSession _session = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("daneps-monitor-settings-").FullName;

    public void Dispose()
    {
        _session.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private string Write(string content, string name = "monitor.psd1")
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content.ReplaceLineEndings("\n"));
        return path;
    }

    private (MonitorSummary Summary, List<SettingsProblem> Problems) Run(string path, string extra = "")
    {
        var output = _session.Run($"Invoke-DaneMonitor -Path '{path}' {extra}").Select(o => o.BaseObject).ToList();
        var summary = Assert.IsType<MonitorSummary>(Assert.Single(output));
        Assert.All(_session.LastErrors, e => Assert.Equal("InvokeDaneMonitorInvalidSettings,DanePS.Commands.InvokeDaneMonitorCommand", e.FullyQualifiedErrorId));
        Assert.All(_session.LastErrors, e => Assert.Equal(ErrorCategory.InvalidData, e.CategoryInfo.Category));
        var problems = _session.LastErrors.Select(e => Assert.IsType<SettingsProblem>(e.TargetObject)).ToList();
        return (summary, problems);
    }

    [Fact]
    public void Every_problem_of_a_file_is_reported_at_once_with_its_key_and_line_and_nothing_runs()
    {
        Environment.SetEnvironmentVariable("DANEPS_TEST_UNSET_SECRET", null);
        var path = Write("""
            @{
                Endpoints = @(
                    'mx1.example.com'
                    @{ HostName = 'bad..name'; Port = 25 }
                    @{ HostName = 'mx2.example.com'; Port = 'twentyfive' }
                    'mx3.example.com:99999'
                )
                MailDomains = @('example.com', 'not a domain')
                Dns = @{ Server = '192.0.2.1'; DnssecValidation = 'Sometimes'; Tmeout = 3 }
                Checks = @{ ThrottleLimit = 0 }
                Alerts = @{
                    Channels = @(
                        @{ Type = 'Telegram'; ChatId = 42 }
                        @{ Type = 'Webhook'; WebhookUrl = 'https://hooks.example/SECRET-IN-FILE' }
                        @{ Type = 'Slack'; WebhookUrl = 'env:DANEPS_TEST_UNSET_SECRET' }
                        @{ Type = 'Email'; SmtpServer = 'smtp.example.com'; From = 'dane@example.com' }
                        @{ Type = 'Pager' }
                    )
                }
                Extra = 1
            }
            """);
        var (summary, problems) = Run(path);

        Assert.Equal(3, summary.ExitCode);
        Assert.Equal(MonitorStatus.CouldNotRun, summary.Status);
        Assert.Equal(0, summary.Endpoints);
        var expected = new (SettingsProblemKind, string, int)[]
        {
            (SettingsProblemKind.InvalidHostName, "Endpoints[1].HostName", 4),
            (SettingsProblemKind.WrongType, "Endpoints[2].Port", 5),
            (SettingsProblemKind.InvalidValue, "Endpoints[3]", 6),
            (SettingsProblemKind.InvalidHostName, "MailDomains[1]", 8),
            (SettingsProblemKind.UnknownKey, "Dns.Tmeout", 9),
            (SettingsProblemKind.InvalidValue, "Dns.DnssecValidation", 9),
            (SettingsProblemKind.InvalidValue, "Checks.ThrottleLimit", 10),
            (SettingsProblemKind.MissingSecret, "Alerts.Channels[0].BotToken", 13),
            (SettingsProblemKind.LiteralSecret, "Alerts.Channels[1].WebhookUrl", 14),
            (SettingsProblemKind.SecretNotFound, "Alerts.Channels[2].WebhookUrl", 15),
            (SettingsProblemKind.MissingKey, "Alerts.Channels[3].To", 16),
            (SettingsProblemKind.InvalidValue, "Alerts.Channels[4].Type", 17),
            (SettingsProblemKind.UnknownKey, "Extra", 20),
        };
        Assert.Equal(expected.OrderBy(e => e.Item2, StringComparer.Ordinal), problems.Select(p => (p.Kind, p.KeyPath, p.Line)).OrderBy(e => e.KeyPath, StringComparer.Ordinal));
        Assert.Equal(problems.Count, summary.Problems.Count);

        // The message names the file and line; a literal secret is never repeated anywhere.
        Assert.StartsWith(path + ", line 4: Endpoints[1].HostName: ", _session.LastErrors[0].Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_session.LastErrors, e => e.Exception.Message.Contains("SECRET-IN-FILE", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET-IN-FILE", _session.HostOutput, StringComparison.Ordinal);
    }

    /// <summary>
    /// Dns.TrustAnchorPath, as -TrustAnchorPath on the DNS cmdlets: a file of DS or DNSKEY records, beside the settings
    /// file when relative, read when the settings are; a missing or unusable file is a settings problem with its line.
    /// </summary>
    [Fact]
    public void Trust_anchors_come_from_a_file_beside_the_settings_and_a_bad_one_is_a_problem_with_its_line()
    {
        File.WriteAllText(Path.Combine(_folder, "root.anchor"), "; a private root\n. 3600 IN DS 12345 13 2 ABCDEF0123\n");
        var root = Node(new Dictionary<string, object?>
        {
            ["MailDomains"] = "example.com",
            ["Dns"] = new Dictionary<string, object?> { ["DnssecValidation"] = "Local", ["TrustAnchorPath"] = "root.anchor" },
        });
        var settings = MonitorSettingsReader.Read(root, new EnvironmentSecrets(), Path.Combine(_folder, "m.psd1"), out var none);
        Assert.Empty(none);
        Assert.Equal(new[] { ". IN DS 12345 13 2 ABCDEF0123" }, settings!.ToDnsOptions().TrustAnchors);

        File.WriteAllText(Path.Combine(_folder, "bad.anchor"), ". IN DS 12345 13 2 NOTHEX\n");
        var (summary, problems) = Run(Write("""
            @{
                MailDomains = 'example.com'
                Dns = @{
                    TrustAnchorPath = 'bad.anchor'
                }
            }
            """, "bad-anchor.psd1"));
        Assert.Equal(3, summary.ExitCode);
        var problem = Assert.Single(problems);
        Assert.Equal((SettingsProblemKind.InvalidValue, "Dns.TrustAnchorPath", 4), (problem.Kind, problem.KeyPath, problem.Line));
        Assert.Contains("not hexadecimal", problem.Message, StringComparison.Ordinal);

        var (_, missing) = Run(Write("@{ MailDomains = 'example.com'; Dns = @{ TrustAnchorPath = 'nowhere.anchor' } }", "missing-anchor.psd1"));
        Assert.Equal((SettingsProblemKind.InvalidValue, "Dns.TrustAnchorPath"), (Assert.Single(missing).Kind, missing[0].KeyPath));
        Assert.Contains("nowhere.anchor", missing[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_would_run_code_is_not_data_and_its_code_never_runs()
    {
        var marker = Path.Combine(_folder, "ran.txt");
        var path = Write($$"""
            @{
                Endpoints = @(
                    (New-Item -ItemType File -Path '{{marker}}')
                )
                MailDomains = "$env:HOME.example"
            }
            """);
        var (summary, problems) = Run(path);
        Assert.Equal(3, summary.ExitCode);
        Assert.False(File.Exists(marker));
        Assert.Equal(new[] { (SettingsProblemKind.NotData, "Endpoints[0]", 3), (SettingsProblemKind.NotData, "MailDomains", 5) }, problems.Select(p => (p.Kind, p.KeyPath, p.Line)));
    }

    [Fact]
    public void A_syntax_error_and_a_second_statement_are_reported_with_their_lines()
    {
        var (_, syntax) = Run(Write("@{\n  Endpoints = @('a.example'\n}\n", "syntax.psd1"));
        Assert.Contains(syntax, p => p.Kind == SettingsProblemKind.NotData && p.Line >= 2);

        var (_, two) = Run(Write("@{ Endpoints = 'a.example' }\nRemove-Item /\n", "two.psd1"));
        var problem = Assert.Single(two);
        Assert.Equal((SettingsProblemKind.NotData, 2), (problem.Kind, problem.Line));
    }

    [Fact]
    public void A_file_with_nothing_to_check_is_a_missing_key()
    {
        var (summary, problems) = Run(Write("@{ Dns = @{ Server = '127.0.0.1' } }"));
        Assert.Equal(3, summary.ExitCode);
        var problem = Assert.Single(problems);
        Assert.Equal(SettingsProblemKind.MissingKey, problem.Kind);
    }

    [Fact]
    public void Vault_references_go_through_Get_Secret_when_it_exists()
    {
        // A stand-in for SecretManagement's Get-Secret: knows one secret in one vault.
        _session.Run("""
            function global:Get-Secret {
                param([string] $Name, [string] $Vault)
                if ($Vault -eq 'Ops' -and $Name -eq 'hook') { return [System.Net.NetworkCredential]::new('', 'https://hooks.example/from-vault').SecurePassword }
                throw "No secret '$Name' in vault '$Vault'."
            }
            """);
        var settings = Write("""
            @{
                Endpoints = 'mx1.example.com'
                Alerts = @{ Channels = @(
                    @{ Type = 'Webhook'; Name = 'a'; WebhookUrl = 'secret:Ops/hook' }
                    @{ Type = 'Webhook'; Name = 'b'; WebhookUrl = 'secret:Ops/missing' }
                ) }
            }
            """);
        var (summary, problems) = Run(settings);
        var problem = Assert.Single(problems);
        Assert.Equal((SettingsProblemKind.SecretNotFound, "Alerts.Channels[1].WebhookUrl", 5), (problem.Kind, problem.KeyPath, problem.Line));
        Assert.Contains("Get-Secret failed", problem.Message, StringComparison.Ordinal);
        Assert.Equal(3, summary.ExitCode);
    }

    [Fact]
    public void A_vault_reference_without_SecretManagement_says_what_to_install()
    {
        var (_, problems) = Run(Write("@{ Endpoints = 'mx1.example.com'; Alerts = @{ Channels = @{ Type = 'Slack'; WebhookUrl = 'secret:hook' } } }"));
        var problem = Assert.Single(problems);
        Assert.Equal(SettingsProblemKind.SecretNotFound, problem.Kind);
        Assert.Contains("SecretManagement", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hashtable_is_validated_the_same_way_without_lines()
    {
        var output = _session.Run("Invoke-DaneMonitor -Settings @{ Endpoints = @{ HostName = 'mx1.example.com'; Prot = 25 }; Thresholds = @{ MaxRecords = '2' } }");
        Assert.IsType<MonitorSummary>(Assert.Single(output).BaseObject);
        var problems = _session.LastErrors.Select(e => (SettingsProblem)e.TargetObject).OrderBy(p => p.KeyPath, StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { (SettingsProblemKind.UnknownKey, "Endpoints[0].Prot", 0), (SettingsProblemKind.WrongType, "Thresholds.MaxRecords", 0) }, problems.Select(p => (p.Kind, p.KeyPath, p.Line)));
    }

    [Fact]
    public void Valid_settings_carry_every_value_into_the_run()
    {
        Environment.SetEnvironmentVariable("DANEPS_TEST_TG_TOKEN", "123:abc");
        Environment.SetEnvironmentVariable("DANEPS_TEST_SMTP_PASSWORD", "pw");
        Environment.SetEnvironmentVariable("TLSRPT_PASSWORD", "rpt");
        var root = Node(new Dictionary<string, object?>
        {
            ["Endpoints"] = new object?[] { "mx1.example.com", "mx1.example.com:465", new Dictionary<string, object?> { ["HostName"] = "imap.example.com", ["Port"] = 143, ["StartTls"] = "Imap" } },
            ["MailDomains"] = new object?[] { "example.com", "bücher.example" },
            ["Dns"] = new Dictionary<string, object?> { ["Server"] = new object?[] { "127.0.0.1", "[::1]:5353" }, ["TimeoutSec"] = 2, ["Retries"] = 1, ["TcpOnly"] = true, ["DnssecValidation"] = "Local" },
            ["Checks"] = new Dictionary<string, object?> { ["TimeoutSec"] = 10, ["ThrottleLimit"] = 64, ["SingleHandshake"] = true },
            ["Thresholds"] = new Dictionary<string, object?> { ["MaxRecords"] = 3, ["CertificateExpiryDays"] = 30, ["RrsigExpiryDays"] = 5 },
            ["Alerts"] = new Dictionary<string, object?>
            {
                ["StatePath"] = "/var/lib/daneps/alerts.json",
                ["SuppressFor"] = "06:00:00",
                ["Channels"] = new object?[]
                {
                    new Dictionary<string, object?> { ["Type"] = "Telegram", ["BotToken"] = "env:DANEPS_TEST_TG_TOKEN", ["ChatId"] = 42, ["MinimumSeverity"] = "Warning" },
                    new Dictionary<string, object?> { ["Type"] = "Email", ["SmtpServer"] = "smtp.example.com", ["SmtpPort"] = 465, ["From"] = "dane@example.com", ["To"] = "ops@example.com", ["UserName"] = "dane", ["Password"] = "env:DANEPS_TEST_SMTP_PASSWORD" },
                },
            },
            ["TlsRptMailbox"] = new Dictionary<string, object?> { ["Server"] = "imap.example.com", ["UserName"] = "tlsrpt", ["Password"] = "env:TLSRPT_PASSWORD" },
        });
        var settings = MonitorSettingsReader.Read(root, new EnvironmentSecrets(), "m.psd1", out var problems);
        Assert.Empty(problems);
        Assert.NotNull(settings);
        Assert.Equal(new[] { "mx1.example.com:25", "mx1.example.com:465", "imap.example.com:143" }, settings!.Endpoints.Select(e => e.ToString()));
        Assert.Equal(StartTlsProtocol.Imap, settings.Endpoints[2].StartTls);
        Assert.Equal(new[] { "example.com", "xn--bcher-kva.example" }, settings.MailDomains);
        var dns = settings.ToDnsOptions();
        Assert.Equal(DnssecValidationMode.Local, dns.Validation);
        Assert.Equal(2, dns.Servers.Count);
        Assert.Equal(5353, dns.Servers[1].Port);
        Assert.Equal(TimeSpan.FromDays(5), dns.SignatureExpiryWarning);
        Assert.True(dns.UseTcpOnly);
        Assert.Equal((10, 64, true, 3, 30), ((int)settings.ConnectTimeout.TotalSeconds, settings.ThrottleLimit, settings.SingleHandshake, settings.MaxRecords, settings.CertificateExpiryDays));
        Assert.Equal(TimeSpan.FromHours(6), settings.SuppressFor);
        Assert.Equal(AlertSeverity.Warning, Assert.IsType<TelegramAlertChannel>(settings.Channels[0]).MinimumSeverity);
        var mail = Assert.IsType<EmailAlertChannel>(settings.Channels[1]);
        Assert.Equal((465, SmtpTlsMode.ImplicitTls), (mail.Port, mail.TlsMode));
        Assert.Equal("tlsrpt", settings.TlsRptMailbox!.UserName);
    }

    [Fact]
    public void A_literal_TLS_RPT_password_is_refused_like_any_other_secret()
    {
        var root = Node(new Dictionary<string, object?>
        {
            ["Endpoints"] = "mx1.example.com",
            ["TlsRptMailbox"] = new Dictionary<string, object?> { ["Server"] = "imap.example.com", ["UserName"] = "tlsrpt", ["Password"] = "hunter2", ["Mailbox"] = "x" },
        });
        Assert.Null(MonitorSettingsReader.Read(root, new EnvironmentSecrets(), null, out var problems));
        Assert.Equal(new[] { (SettingsProblemKind.UnknownKey, "TlsRptMailbox.Mailbox"), (SettingsProblemKind.LiteralSecret, "TlsRptMailbox.Password") }, problems.Select(p => (p.Kind, p.KeyPath)).OrderBy(p => p.KeyPath, StringComparer.Ordinal));
        Assert.DoesNotContain(problems, p => p.Message.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public void The_TLS_RPT_mailbox_keys_are_validated_and_port_143_means_STARTTLS()
    {
        Environment.SetEnvironmentVariable("TLSRPT_PASSWORD", "rpt");
        var root = Node(new Dictionary<string, object?>
        {
            ["Endpoints"] = "mx1.example.com",
            ["TlsRptMailbox"] = new Dictionary<string, object?> { ["Server"] = "192.0.2.7", ["Port"] = 143, ["UserName"] = "tlsrpt", ["Password"] = "env:TLSRPT_PASSWORD", ["SinceDays"] = 3, ["MarkAsRead"] = true },
        });
        var settings = MonitorSettingsReader.Read(root, new EnvironmentSecrets(), null, out var problems);
        Assert.Empty(problems);
        var mailbox = settings!.TlsRptMailbox!;
        Assert.Equal(("192.0.2.7", 143, DanePS.Engine.TlsRpt.MailboxTlsMode.StartTls, 3, true, false), (mailbox.Server, mailbox.Port, mailbox.TlsMode, mailbox.SinceDays, mailbox.MarkAsRead, mailbox.SkipCertificateCheck));
        Assert.Equal("imap://tlsrpt@192.0.2.7:143/INBOX", mailbox.ToString());

        root = Node(new Dictionary<string, object?>
        {
            ["Endpoints"] = "mx1.example.com",
            ["TlsRptMailbox"] = new Dictionary<string, object?> { ["Server"] = "imap.example.com", ["UserName"] = "tlsrpt", ["Password"] = "env:DANEPS_TEST_UNSET_TLSRPT", ["TlsMode"] = "Plain", ["SinceDays"] = 0, ["SkipCertificateCheck"] = "yes" },
        });
        Assert.Null(MonitorSettingsReader.Read(root, new EnvironmentSecrets(), null, out problems));
        Assert.Equal(
            new[] { (SettingsProblemKind.SecretNotFound, "TlsRptMailbox.Password"), (SettingsProblemKind.InvalidValue, "TlsRptMailbox.SinceDays"), (SettingsProblemKind.WrongType, "TlsRptMailbox.SkipCertificateCheck"), (SettingsProblemKind.InvalidValue, "TlsRptMailbox.TlsMode") },
            problems.Select(p => (p.Kind, p.KeyPath)).OrderBy(p => p.KeyPath, StringComparer.Ordinal));
    }

    private static SettingsNode Node(object? value) => value switch
    {
        Dictionary<string, object?> table => table.Aggregate(SettingsNode.Table(0), (node, e) => node.Add(e.Key, 0, Node(e.Value))),
        object?[] list => list.Aggregate(SettingsNode.List(0), (node, item) => node.Add(Node(item))),
        _ => SettingsNode.Scalar(value, 0),
    };

    [Fact]
    public void The_example_settings_file_in_docs_loads_without_problems()
    {
        Environment.SetEnvironmentVariable("DANE_TELEGRAM_TOKEN", "123:abc");
        Environment.SetEnvironmentVariable("DANE_WEBHOOK_URL", "https://hooks.example/abc");
        Environment.SetEnvironmentVariable("DANE_SMTP_PASSWORD", "pw");
        var file = Path.Combine(ModuleSession.RepoRoot, "docs", "examples", "monitor.psd1");
        var output = _session.Run($"Invoke-DaneMonitor -Path '{file}' -WhatIf");
        Assert.Empty(_session.LastErrors);
        Assert.Empty(output);
        Assert.Contains("What if: Performing the operation \"Check DANE on every MX host\" on target \"mail domain example.com\"", _session.HostOutput, StringComparison.Ordinal);
    }

    private sealed class EnvironmentSecrets : ISecretResolver
    {
        public System.Security.SecureString? Resolve(SecretReference reference, out string? why)
        {
            why = "unset";
            return reference.Source == SecretSource.Environment && Environment.GetEnvironmentVariable(reference.Name) is { } v ? Alerts.AlertTestData.Secure(v) : null;
        }
    }
}
