using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Alerts;
using DanePS.Tests.Fixtures.Http;
using DanePS.Tests.Reporting;
using Xunit;

namespace DanePS.Tests.Alerts;

/// <summary>Each channel against a loopback stand-in for its service, checking exactly what arrives.</summary>
public sealed class AlertChannelTests : IAsyncLifetime
{
    private const string Token = "123456:AAF-secret_token.value";
    private LoopbackHttpRecorder _http = null!;

    public Task InitializeAsync()
    {
        _http = LoopbackHttpRecorder.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _http.DisposeAsync();

    private TelegramAlertChannel Telegram(AlertSeverity minimum = AlertSeverity.Failure)
    {
        var channel = new TelegramAlertChannel("tg", minimum, AlertTestData.Secure(Token), "-1001234", _http.BaseAddress);
        channel.Retry.FirstDelayMs = 50;
        return channel;
    }

    private static Task<int> Send(AlertChannel channel, AlertSubject subject, AlertKind kind = AlertKind.Problem) =>
        channel.SendAsync(kind == AlertKind.Problem ? AlertMessageBuilder.Problem(subject) : AlertMessageBuilder.Recovery(subject, "Fail", AlertSeverity.Failure), subject, new CollectingReporter(), CancellationToken.None);

    [Fact]
    public async Task Telegram_gets_sendMessage_with_MarkdownV2_that_obeys_the_grammar_and_the_token_only_in_the_path()
    {
        await Send(Telegram(), AlertTestData.Failing());

        var request = Assert.Single(_http.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/bot{Token}/sendMessage", request.Path);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal("-1001234", request.Json.GetProperty("chat_id").GetString());
        Assert.Equal("MarkdownV2", request.Json.GetProperty("parse_mode").GetString());
        var text = request.Json.GetProperty("text").GetString()!;
        Assert.Empty(MarkdownV2Checker.Check(text));
        Assert.Contains("mail\\.cendyne\\.dev:25", text, StringComparison.Ordinal);
        Assert.Contains(AlertTestData.StaleRecord, text, StringComparison.Ordinal);
        Assert.Contains(AlertTestData.GoodRecord, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Telegram_429_waits_the_retry_after_it_names_then_sends()
    {
        var calls = 0;
        _http.Responder = _ => Interlocked.Increment(ref calls) == 1
            ? new HttpReply(429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 1\",\"parameters\":{\"retry_after\":1}}")
            : new HttpReply(200);
        var clock = Stopwatch.StartNew();

        var attempts = await Send(Telegram(), AlertTestData.Failing());

        Assert.Equal(2, attempts);
        Assert.Equal(2, _http.Requests.Count);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.95), $"retried after {clock.Elapsed}");
    }

    [Fact]
    public async Task A_retry_after_beyond_the_budget_fails_at_once_instead_of_waiting()
    {
        _http.Responder = _ => new HttpReply(429, "{\"ok\":false,\"error_code\":429,\"parameters\":{\"retry_after\":3600}}");
        var channel = Telegram();
        var clock = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(() => Send(channel, AlertTestData.Failing()));

        Assert.Single(_http.Requests);
        Assert.True(ex.Transient);
        Assert.Contains("429", ex.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Server_errors_are_retried_a_bounded_number_of_times_and_refusals_not_at_all()
    {
        _http.Responder = _ => new HttpReply(503, "{\"ok\":false}");
        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(() => Send(Telegram(), AlertTestData.Failing()));
        Assert.Equal(3, _http.Requests.Count);
        Assert.Equal(3, ex.Attempts);

        _http.Clear();
        _http.Responder = _ => new HttpReply(400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: can't parse entities\"}");
        ex = await Assert.ThrowsAsync<AlertDeliveryException>(() => Send(Telegram(), AlertTestData.Failing()));
        Assert.Single(_http.Requests);
        Assert.False(ex.Transient);
        Assert.Contains("can't parse entities", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_over_4096_characters_arrives_in_parts_each_valid()
    {
        var lines = Enumerable.Range(0, 200).Select(i => $"3 1 1 {i:D4}{new string('B', 60)}").ToArray();
        var subject = new AlertSubject("big.example", 25, null, new[] { new AlertCheck("192.0.2.9", "RSA 2048", "Fail", "no match.", null) }, "_25._tcp.big.example.", "Secure", lines, Array.Empty<AlertFinding>());

        await Send(Telegram(), subject);

        Assert.True(_http.Requests.Count >= 3);
        var texts = _http.Requests.Select(r => r.Json.GetProperty("text").GetString()!).ToList();
        Assert.All(texts, t => Assert.InRange(t.Length, 1, 4096));
        Assert.All(texts, t => Assert.Empty(MarkdownV2Checker.Check(t)));
        Assert.Equal(lines, texts.SelectMany(t => t.Split('\n')).Where(l => l.StartsWith("3 1 1 ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Slack_gets_a_header_and_mrkdwn_sections_with_its_control_characters_escaped()
    {
        var channel = new SlackAlertChannel("slack", AlertSeverity.Warning, AlertTestData.Secure(_http.Url("services/T000/B000/XXXX").ToString()));
        var subject = new AlertSubject("a<b>&c.example", 25, null, new[] { new AlertCheck("192.0.2.1", "RSA 2048", "Fail", "x < y & z", null) }, "_25._tcp.a.example.", "Secure", new[] { AlertTestData.StaleRecord }, Array.Empty<AlertFinding>());

        await Send(channel, subject);

        var request = Assert.Single(_http.Requests);
        Assert.Equal("/services/T000/B000/XXXX", request.Path);
        Assert.Equal("DANE Fail: a<b>&c.example:25", request.Json.GetProperty("text").GetString());
        var blocks = request.Json.GetProperty("blocks").EnumerateArray().ToList();
        Assert.Equal("header", blocks[0].GetProperty("type").GetString());
        Assert.Equal("plain_text", blocks[0].GetProperty("text").GetProperty("type").GetString());
        var sections = blocks.Skip(1).Select(b => b.GetProperty("text").GetProperty("text").GetString()!).ToList();
        Assert.All(blocks.Skip(1), b => Assert.Equal("mrkdwn", b.GetProperty("text").GetProperty("type").GetString()));
        Assert.Contains(sections, s => s.Contains("x &lt; y &amp; z", StringComparison.Ordinal));
        Assert.Contains(sections, s => s.Contains("```" + AlertTestData.StaleRecord + "```", StringComparison.Ordinal));
        Assert.DoesNotContain(sections, s => s.Contains('<', StringComparison.Ordinal));
    }

    [Fact]
    public async Task Teams_gets_a_workflow_message_with_an_Adaptive_Card()
    {
        var channel = new TeamsAlertChannel("teams", AlertSeverity.Failure, AlertTestData.Secure(_http.Url("workflows/abc/triggers/manual/paths/invoke?sig=SECRET").ToString()));

        await Send(channel, AlertTestData.Failing());

        var request = Assert.Single(_http.Requests);
        Assert.Equal("/workflows/abc/triggers/manual/paths/invoke?sig=SECRET", request.Path);
        Assert.Equal("message", request.Json.GetProperty("type").GetString());
        var attachment = Assert.Single(request.Json.GetProperty("attachments").EnumerateArray());
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        var card = attachment.GetProperty("content");
        Assert.Equal("AdaptiveCard", card.GetProperty("type").GetString());
        Assert.Equal("1.4", card.GetProperty("version").GetString());
        Assert.Equal("http://adaptivecards.io/schemas/adaptive-card.json", card.GetProperty("$schema").GetString());
        var blocks = card.GetProperty("body").EnumerateArray().ToList();
        Assert.All(blocks, b => Assert.Equal("TextBlock", b.GetProperty("type").GetString()));
        Assert.Equal("DANE Fail: mail.cendyne.dev:25", blocks[0].GetProperty("text").GetString());
        Assert.Equal("Attention", blocks[0].GetProperty("color").GetString());
        var record = blocks.Single(b => b.GetProperty("text").GetString() == AlertTestData.StaleRecord);
        Assert.Equal("Monospace", record.GetProperty("fontType").GetString());
    }

    [Fact]
    public async Task The_generic_webhook_gets_the_alert_as_data_with_its_bearer_token()
    {
        var channel = new WebhookAlertChannel("hook", AlertSeverity.Warning, AlertTestData.Secure(_http.Url("hook/xyz").ToString()), AlertTestData.Secure("bearer-secret"));

        await Send(channel, AlertTestData.Warning());

        var request = Assert.Single(_http.Requests);
        Assert.Equal("Bearer bearer-secret", request.Headers["Authorization"]);
        var body = request.Json;
        Assert.Equal("Problem", body.GetProperty("kind").GetString());
        Assert.Equal("Warning", body.GetProperty("severity").GetString());
        var endpoint = body.GetProperty("endpoint");
        Assert.Equal("mail.cendyne.dev", endpoint.GetProperty("hostName").GetString());
        Assert.Equal(25, endpoint.GetProperty("port").GetInt32());
        Assert.Equal("Secure", endpoint.GetProperty("dnssecStatus").GetString());
        Assert.Equal(3, endpoint.GetProperty("publishedRecords").GetArrayLength());
        Assert.Equal(AlertTestData.GoodRecord, endpoint.GetProperty("wouldMatch")[0].GetString());
        Assert.Equal("TooManyRecords", endpoint.GetProperty("findings")[0].GetProperty("code").GetString());
        Assert.Equal("Pass", endpoint.GetProperty("checks")[0].GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task A_recovery_says_the_endpoint_passes_again()
    {
        await Send(Telegram(), AlertTestData.Passing(), AlertKind.Recovery);
        var text = Assert.Single(_http.Requests).Json.GetProperty("text").GetString()!;
        Assert.StartsWith("*resolved: mail\\.cendyne\\.dev:25 passes again*", text, StringComparison.Ordinal);
        Assert.Empty(MarkdownV2Checker.Check(text));
    }

    [Fact]
    public void A_channel_description_never_shows_its_secret()
    {
        var slack = new SlackAlertChannel("s", AlertSeverity.Failure, AlertTestData.Secure("https://hooks.slack.com/services/T1/B2/SECRETPART"));
        Assert.Equal("https://hooks.slack.com/***", slack.Target);
        Assert.DoesNotContain("SECRETPART", slack.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Token, Telegram().ToString(), StringComparison.Ordinal);
        var redactor = AlertDispatcher.CreateRedactor(new AlertChannel[] { slack, Telegram() });
        Assert.Equal("x *** y *** z ***", redactor.Redact($"x https://hooks.slack.com/services/T1/B2/SECRETPART y {Uri.EscapeDataString(Token)} z /services/T1/B2/SECRETPART"));
    }
}
