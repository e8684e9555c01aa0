using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using DanePS.Engine.Alerts;
using DanePS.Tests.Checking;
using DanePS.Tests.Fixtures;
using DanePS.Tests.Fixtures.Http;
using DanePS.Tests.Fixtures.Servers;
using DanePS.Tests.Module;
using Xunit;

namespace DanePS.Tests.Alerts;

/// <summary>
/// Send-DaneAlert as a scheduled script runs it: real Test-DaneEndpoint results from the endpoint world piped in,
/// loopback stand-ins for the chat services, a state file in a fresh folder.
/// </summary>
[Collection("EndpointWorld")]
public sealed class SendDaneAlertTests : IAsyncLifetime
{
    private const string Token = "987654:SECRET-bot_token.XYZ";
    private readonly EndpointWorld _world;
    private readonly ModuleSession _session = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("daneps-alerts-").FullName;
    private LoopbackHttpRecorder _http = null!;

    public SendDaneAlertTests(EndpointWorld world) => _world = world;

    private string StatePath => Path.Combine(_folder, "state", "alerts.json");

    public Task InitializeAsync()
    {
        _http = LoopbackHttpRecorder.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _http.DisposeAsync();
        _session.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private Dictionary<string, object?> Variables() => new()
    {
        ["resolver"] = _world.Resolver,
        ["state"] = StatePath,
        ["base"] = _http.BaseAddress,
        ["token"] = AlertTestData.Secure(Token),
        ["hookUrl"] = AlertTestData.Secure(_http.Url("hook/SECRET-HOOK-PATH").ToString()),
    };

    /// <summary>A Telegram channel for failures and a webhook channel that also hears warnings.</summary>
    private const string Channels = """
        $tg = New-DaneAlertChannel -Telegram -BotToken $token -ChatId 42 -BaseAddress $base -RetryBudgetSec 5
        $hook = New-DaneAlertChannel -Webhook -WebhookUrl $hookUrl -MinimumSeverity Warning -Name hook -MaxAttempts 2 -RetryBudgetSec 5
        """;

    private List<AlertDelivery> Alert(string host, string extra = "") =>
        _session.Run<AlertDelivery>(Channels + $"\nTest-DaneEndpoint {host} -Port 25 -Server $resolver -TimeoutSec 5 -WarningAction SilentlyContinue | Send-DaneAlert -Channel $tg, $hook -StatePath $state {extra}", Variables());

    private List<RecordedRequest> Telegram => _http.Requests.Where(r => r.Path.StartsWith("/bot", StringComparison.Ordinal)).ToList();

    private List<RecordedRequest> Hook => _http.Requests.Where(r => r.Path.StartsWith("/hook", StringComparison.Ordinal)).ToList();

    [Fact]
    public void Only_wrong_records_alert_every_channel_once_and_a_second_run_within_the_hour_sends_nothing()
    {
        var first = Alert("onlyjunk.dane.test");
        Assert.Equal(2, first.Count);
        Assert.All(first, d => Assert.Equal(AlertDeliveryStatus.Sent, d.Status));
        Assert.Single(Telegram);
        Assert.Single(Hook);
        var text = Telegram[0].Json.GetProperty("text").GetString()!;
        Assert.StartsWith("*DANE Fail: onlyjunk\\.dane\\.test:25*", text, StringComparison.Ordinal);
        Assert.Contains(EndpointWorld.Ee311(_world.StaleLeaf), text, StringComparison.Ordinal);   // what DNS publishes
        Assert.Contains(EndpointWorld.Ee311(_world.LeafEcdsa), text, StringComparison.Ordinal);   // what would match now
        Assert.Contains("DNSSEC Secure", text.Replace("\\", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Empty(MarkdownV2Checker.Check(text));

        var second = Alert("onlyjunk.dane.test");
        Assert.All(second, d => Assert.Equal(AlertDeliveryStatus.Suppressed, d.Status));
        Assert.Single(Telegram);
        Assert.Single(Hook);

        // Past the window (here: none), the same fault is announced again.
        var third = Alert("onlyjunk.dane.test", "-SuppressFor 0");
        Assert.All(third, d => Assert.Equal(AlertDeliveryStatus.Sent, d.Status));
        Assert.Equal(2, Telegram.Count);
    }

    [Fact]
    public void A_mail_domain_result_alerts_its_failing_MX_host_alone()
    {
        var deliveries = _session.Run<AlertDelivery>(Channels + "\nTest-DaneMailDomain mixedmail.test -Server $resolver -TimeoutSec 5 -WarningAction SilentlyContinue | Send-DaneAlert -Channel $tg -StatePath $state", Variables());
        var delivery = Assert.Single(deliveries);
        Assert.Equal("stalemx.dane.test:25", delivery.Endpoint);
        Assert.Equal(AlertDeliveryStatus.Sent, delivery.Status);
        var text = Assert.Single(Telegram).Json.GetProperty("text").GetString()!;
        Assert.StartsWith("*DANE Fail: stalemx\\.dane\\.test:25*", text, StringComparison.Ordinal);
        Assert.DoesNotContain("single", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Junk_next_to_the_good_record_goes_only_to_the_channel_that_asked_for_warnings()
    {
        var deliveries = Alert("junk.dane.test");
        var delivery = Assert.Single(deliveries);
        Assert.Equal("hook", delivery.Channel);
        Assert.Equal(AlertSeverity.Warning, delivery.Severity);
        Assert.Empty(Telegram);
        var endpoint = Assert.Single(Hook).Json.GetProperty("endpoint");
        Assert.Contains(endpoint.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == "TooManyRecords");
    }

    [Fact]
    public void A_rollover_and_the_usual_single_record_send_nothing()
    {
        Assert.Empty(Alert("rollover.dane.test"));
        Assert.Empty(Alert("single.dane.test"));
        Assert.Empty(_http.Requests);
        Assert.Empty(_session.LastErrors);
    }

    [Fact]
    public async Task A_recovery_is_announced_once_when_the_endpoint_passes_again()
    {
        var down = Alert("refused.dane.test");
        Assert.Equal(2, down.Count(d => d.Status == AlertDeliveryStatus.Sent));
        Assert.Contains("Unreachable", Telegram[0].Json.GetProperty("text").GetString()!, StringComparison.Ordinal);

        // The server comes back, presenting the key its TLSA record names.
        var options = new PostfixTestServerOptions();
        options.Endpoints.Add(new IPEndPoint(_world.RefusedAddress, 25));
        options.Identities.Add(TlsIdentity.From(_world.LeafEcdsa, _world.Root, _world.Intermediate));
        await using (await PostfixTestServer.StartAsync(options))
        {
            var up = Alert("refused.dane.test");
            Assert.Equal(2, up.Count);
            Assert.All(up, d => Assert.Equal(AlertKind.Recovery, d.Kind));
            Assert.All(up, d => Assert.Equal(AlertDeliveryStatus.Sent, d.Status));
            Assert.StartsWith("*resolved: refused\\.dane\\.test:25 passes again*", Telegram[^1].Json.GetProperty("text").GetString()!, StringComparison.Ordinal);
            Assert.Equal("Recovery", Hook[^1].Json.GetProperty("kind").GetString());

            Assert.Empty(Alert("refused.dane.test"));
            Assert.Equal(2, Telegram.Count);
        }
    }

    [Fact]
    public void A_failing_channel_is_an_error_the_others_still_send_and_the_next_run_tries_it_again()
    {
        _http.Responder = r => r.Path.StartsWith("/hook", StringComparison.Ordinal) ? new HttpReply(500, "{\"error\":\"down\"}") : new HttpReply(200);

        var first = Alert("onlyjunk.dane.test");
        Assert.Equal(AlertDeliveryStatus.Sent, first.Single(d => d.ChannelType == "Telegram").Status);
        var failed = first.Single(d => d.Channel == "hook");
        Assert.Equal(AlertDeliveryStatus.Failed, failed.Status);
        Assert.Equal(2, failed.Attempts);
        var error = Assert.Single(_session.LastErrors);
        Assert.Equal("SendDaneAlertDeliveryFailed,DanePS.Commands.SendDaneAlertCommand", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Contains("HTTP 500", error.Exception.Message, StringComparison.Ordinal);

        _http.Responder = _ => new HttpReply(200);
        var second = Alert("onlyjunk.dane.test");
        Assert.Equal(AlertDeliveryStatus.Suppressed, second.Single(d => d.ChannelType == "Telegram").Status);
        Assert.Equal(AlertDeliveryStatus.Sent, second.Single(d => d.Channel == "hook").Status);
        Assert.Single(Telegram);
    }

    [Fact]
    public void A_corrupt_state_file_is_kept_aside_and_recreated_with_a_warning()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(StatePath)!);
        File.WriteAllText(StatePath, "{\"version\":1,\"incidents\":[{\"endpoint\":");

        var deliveries = Alert("onlyjunk.dane.test");

        Assert.All(deliveries, d => Assert.Equal(AlertDeliveryStatus.Sent, d.Status));
        var warning = Assert.Single(_session.LastWarnings);
        Assert.Contains("could not be read", warning.Message, StringComparison.Ordinal);
        Assert.Equal("{\"version\":1,\"incidents\":[{\"endpoint\":", File.ReadAllText(StatePath + ".corrupt"));
        using var state = System.Text.Json.JsonDocument.Parse(File.ReadAllText(StatePath));
        Assert.Equal(2, state.RootElement.GetProperty("incidents").GetArrayLength());
        Assert.All(Alert("onlyjunk.dane.test"), d => Assert.Equal(AlertDeliveryStatus.Suppressed, d.Status));
    }

    [Fact]
    public async Task Two_overlapping_runs_on_one_store_announce_once()
    {
        // A slow Telegram keeps the first run inside its lock while the second starts.
        _http.Responder = _ => new HttpReply(200, Delay: TimeSpan.FromSeconds(2));
        using var other = new ModuleSession();
        var script = Channels + "\nTest-DaneEndpoint onlyjunk.dane.test -Port 25 -Server $resolver -TimeoutSec 5 -WarningAction SilentlyContinue | Send-DaneAlert -Channel $tg -StatePath $state";

        var runs = await Task.WhenAll(
            Task.Run(() => _session.Run<AlertDelivery>(script, Variables())),
            Task.Run(() => other.Run<AlertDelivery>(script, Variables())));

        Assert.Single(Telegram);
        var all = runs.SelectMany(r => r).ToList();
        Assert.Equal(2, all.Count);
        Assert.Single(all, d => d.Status == AlertDeliveryStatus.Sent);
        Assert.Single(all, d => d.Status == AlertDeliveryStatus.Suppressed);
    }

    [Fact]
    public void A_run_that_cannot_get_the_lock_in_time_sends_nothing_and_says_why()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(StatePath)!);
        using (new FileStream(StatePath + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var deliveries = Alert("onlyjunk.dane.test", "-LockTimeoutSec 1");
            Assert.Empty(deliveries);
            Assert.Empty(_http.Requests);
            var error = Assert.Single(_session.LastErrors);
            Assert.Equal("SendDaneAlertStateLocked,DanePS.Commands.SendDaneAlertCommand", error.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.ResourceBusy, error.CategoryInfo.Category);
        }
    }

    [Fact]
    public void WhatIf_shows_what_would_go_to_whom_and_sends_and_writes_nothing()
    {
        _session.ClearHostOutput();
        var deliveries = Alert("onlyjunk.dane.test", "-WhatIf");
        Assert.Empty(deliveries);
        Assert.Empty(_http.Requests);
        Assert.False(File.Exists(StatePath));
        var host = _session.HostOutput;
        Assert.Contains("What if: Performing the operation \"Send problem 'DANE Fail: onlyjunk.dane.test:25'\" on target \"Telegram 42", host, StringComparison.Ordinal);
        Assert.Contains("on target \"hook (Webhook http://127.0.0.1", host, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, host, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-HOOK-PATH", host, StringComparison.Ordinal);
    }

    [Fact]
    public void Input_that_is_not_a_DANE_result_is_an_error_and_the_rest_still_goes()
    {
        var deliveries = _session.Run<AlertDelivery>(Channels + "\n@('nonsense') + @(Test-DaneEndpoint onlyjunk.dane.test -Port 25 -Server $resolver -TimeoutSec 5 -WarningAction SilentlyContinue) | Send-DaneAlert -Channel $tg -StatePath $state", Variables());
        Assert.Single(deliveries);
        Assert.Equal("SendDaneAlertUnsupportedInput,DanePS.Commands.SendDaneAlertCommand", Assert.Single(_session.LastErrors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Secrets_appear_in_no_stream_and_no_file_when_every_channel_fails_with_Verbose_and_Debug()
    {
        // Each stand-in echoes the request path (where the token or webhook secret lives) in its error.
        _http.Responder = r => new HttpReply(r.Path.StartsWith("/bot", StringComparison.Ordinal) ? 401 : r.Path.Contains("slack", StringComparison.Ordinal) ? 500 : 403,
            "{\"ok\":false,\"description\":\"Unauthorized for " + r.Path + " bearer " + (r.Headers.TryGetValue("Authorization", out var a) ? a : string.Empty) + "\"}");
        var variables = Variables();
        variables["slackUrl"] = AlertTestData.Secure(_http.Url("slack/T0/B0/SLACK-SECRET").ToString());
        variables["teamsUrl"] = AlertTestData.Secure(_http.Url("teams/invoke?sig=TEAMS-SECRET").ToString());
        variables["bearer"] = AlertTestData.Secure("BEARER-SECRET");
        variables["credential"] = new System.Management.Automation.PSCredential("alerts", AlertTestData.Secure("MAIL-PASSWORD-SECRET"));
        var secrets = new[] { Token, Uri.EscapeDataString(Token), "SECRET-HOOK-PATH", "SLACK-SECRET", "TEAMS-SECRET", "BEARER-SECRET", "MAIL-PASSWORD-SECRET" };

        var output = _session.Run("""
            $all = @(
                New-DaneAlertChannel -Telegram -BotToken $token -ChatId 42 -BaseAddress $base -MaxAttempts 1
                New-DaneAlertChannel -Slack -WebhookUrl $slackUrl -MaxAttempts 1
                New-DaneAlertChannel -Teams -WebhookUrl $teamsUrl -MaxAttempts 1
                New-DaneAlertChannel -Webhook -WebhookUrl $hookUrl -BearerToken $bearer -MaxAttempts 1
                New-DaneAlertChannel -Email -SmtpServer $base.Host -SmtpPort $base.Port -From alerts@dane.test -To ops@dane.test -Credential $credential -MaxAttempts 1 -TimeoutSec 5
            )
            $all
            Test-DaneEndpoint onlyjunk.dane.test -Port 25 -Server $resolver -TimeoutSec 5 -WarningAction SilentlyContinue |
                Send-DaneAlert -Channel $all -StatePath $state -Verbose -Debug
            """, variables);
        var text = new System.Text.StringBuilder();
        foreach (var item in output.Select(o => o.BaseObject))
        {
            text.AppendLine(item.ToString());
            foreach (var property in item.GetType().GetProperties())
            {
                text.AppendLine(property.Name + ": " + property.GetValue(item));
            }
        }

        Assert.Equal(5, _session.LastErrors.Count);
        foreach (var error in _session.LastErrors)
        {
            text.AppendLine(error.ToString()).AppendLine(error.Exception.ToString()).AppendLine(error.TargetObject?.ToString()).AppendLine(error.ErrorDetails?.Message);
        }

        _session.LastVerbose.ForEach(v => text.AppendLine("VERBOSE: " + v.Message));
        _session.LastDebug.ForEach(d => text.AppendLine("DEBUG: " + d.Message));
        _session.LastWarnings.ForEach(w => text.AppendLine("WARNING: " + w.Message));
        text.AppendLine(_session.HostOutput);
        foreach (var file in Directory.EnumerateFiles(_folder, "*", SearchOption.AllDirectories))
        {
            text.AppendLine(File.ReadAllText(file));
        }

        var all = text.ToString();
        
        // Not vacuous: every channel ran, failed, and said so at length.
        foreach (var type in new[] { "(Telegram)", "(Slack)", "(Teams)", "(Webhook)", "(Email)" })
        {
            Assert.Contains(type + " could not deliver", all, StringComparison.Ordinal);
        }

        Assert.Contains("HTTP 401", all, StringComparison.Ordinal);
        Assert.Contains("Unauthorized for /bot***/sendMessage", all, StringComparison.Ordinal);
        Assert.Contains("POST Telegram http://127.0.0.1:" + _http.BaseAddress.Port + "/bot***/sendMessage", all, StringComparison.Ordinal); // debug
        Assert.Contains("Sending 'DANE Fail: onlyjunk.dane.test:25' to", all, StringComparison.Ordinal); // verbose
        Assert.Equal(4, _http.Requests.Count(r => r.Method == "POST"));
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, all, StringComparison.Ordinal);
        }
    }
}
