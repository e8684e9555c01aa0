using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DanePS.Engine.Alerts;
using DanePS.Tests.Fixtures.Servers;
using DanePS.Tests.Fixtures.Pki;
using DanePS.Tests.Reporting;
using MimeKit;
using Xunit;

namespace DanePS.Tests.Alerts;

/// <summary>
/// The e-mail channel against a real submission server: Postfix on 587 requiring STARTTLS and SMTP AUTH (Dovecot
/// SASL), delivering into a Maildir the test reads.
/// </summary>
public sealed class EmailAlertChannelTests : IAsyncLifetime
{
    private SubmissionTestServer _server = null!;

    public async Task InitializeAsync()
    {
        var root = TestPki.CreateRoot("DanePS Submission Root", TestKeyType.Ecdsa);
        var leaf = TestPki.CreateLeaf(root, new[] { "submission.alerts.test" }, TestKeyType.Ecdsa);
        _server = await SubmissionTestServer.StartAsync(TlsIdentity.From(leaf, root));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private EmailAlertChannel Channel(string? user = SubmissionTestServer.UserName, string password = SubmissionTestServer.Password, bool skipCertificateCheck = true) =>
        new("mail", AlertSeverity.Warning, _server.Endpoint.Address.ToString(), _server.Endpoint.Port, SmtpTlsMode.StartTls, "dane@alerts.test", new[] { "ops@" + SubmissionTestServer.Domain },
            user, user is null ? null : AlertTestData.Secure(password), skipCertificateCheck) { Retry = { MaxAttempts = 1, AttemptTimeoutMs = 20_000 } };

    [Fact]
    public async Task A_failure_arrives_over_STARTTLS_with_AUTH_with_its_subject_priority_and_the_records_in_the_body()
    {
        var subject = AlertTestData.Failing();
        await Channel().SendAsync(AlertMessageBuilder.Problem(subject), subject, new CollectingReporter(), CancellationToken.None);

        var file = Assert.Single(await _server.WaitForAsync(1, TimeSpan.FromSeconds(20)));
        var message = await MimeMessage.LoadAsync(file);
        Assert.Equal("DANE Fail: mail.cendyne.dev:25", message.Subject);
        Assert.Equal("dane@alerts.test", message.From.Mailboxes.Single().Address);
        Assert.Equal("ops@alerts.test", message.To.Mailboxes.Single().Address);
        Assert.Equal(XMessagePriority.Highest, message.XPriority);
        Assert.Equal(MessageImportance.High, message.Importance);
        Assert.Equal("Problem", message.Headers["X-DanePS-Alert"]);
        var body = message.TextBody;
        Assert.Contains("What failed", body, StringComparison.Ordinal);
        Assert.Contains("DNS publishes at _25._tcp.mail.cendyne.dev. (DNSSEC Secure)", body, StringComparison.Ordinal);
        Assert.Contains("    " + AlertTestData.StaleRecord, body, StringComparison.Ordinal);
        Assert.Contains("    " + AlertTestData.GoodRecord, body, StringComparison.Ordinal);

        // Postfix's own Received line: ESMTPSA is ESMTP with STARTTLS (S) and AUTH (A).
        var received = message.Headers.Where(h => h.Field == "Received").Select(h => h.Value).First();
        Assert.Contains("with ESMTPSA", received, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failure_arrives_over_implicit_TLS_on_465_with_AUTH()
    {
        var root = TestPki.CreateRoot("DanePS Smtps Root", TestKeyType.Ecdsa);
        var leaf = TestPki.CreateLeaf(root, new[] { "submission.alerts.test" }, TestKeyType.Ecdsa);
        await using var smtps = await SubmissionTestServer.StartAsync(TlsIdentity.From(leaf, root), implicitTls: true);
        var channel = new EmailAlertChannel("mail", AlertSeverity.Warning, smtps.Endpoint.Address.ToString(), smtps.Endpoint.Port, SmtpTlsMode.ImplicitTls, "dane@alerts.test",
            new[] { "ops@" + SubmissionTestServer.Domain }, SubmissionTestServer.UserName, AlertTestData.Secure(SubmissionTestServer.Password), skipCertificateCheck: true)
        { Retry = { MaxAttempts = 1, AttemptTimeoutMs = 20_000 } };
        var subject = AlertTestData.Failing();
        await channel.SendAsync(AlertMessageBuilder.Problem(subject), subject, new CollectingReporter(), CancellationToken.None);

        var message = await MimeMessage.LoadAsync(Assert.Single(await smtps.WaitForAsync(1, TimeSpan.FromSeconds(20))));
        Assert.Equal("DANE Fail: mail.cendyne.dev:25", message.Subject);

        // TLS from the first byte, then AUTH: Postfix writes ESMTPSA as for STARTTLS.
        Assert.Contains("with ESMTPSA", message.Headers.Where(h => h.Field == "Received").Select(h => h.Value).First(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_warning_goes_at_low_priority()
    {
        var subject = AlertTestData.Warning();
        await Channel().SendAsync(AlertMessageBuilder.Problem(subject), subject, new CollectingReporter(), CancellationToken.None);
        var message = await MimeMessage.LoadAsync(Assert.Single(await _server.WaitForAsync(1, TimeSpan.FromSeconds(20))));
        Assert.Equal("DANE warning: mail.cendyne.dev:25 (TooManyRecords)", message.Subject);
        Assert.Equal(XMessagePriority.Lowest, message.XPriority);
    }

    [Fact]
    public async Task A_wrong_password_and_no_login_are_refused_for_good_and_nothing_is_delivered()
    {
        var subject = AlertTestData.Failing();
        var log = new CollectingReporter();
        var wrong = await Assert.ThrowsAsync<AlertDeliveryException>(() => Channel(password: "wrong").SendAsync(AlertMessageBuilder.Problem(subject), subject, log, CancellationToken.None));
        Assert.False(wrong.Transient);
        Assert.Contains("refused the login of alerts", wrong.Message, StringComparison.Ordinal);

        var anonymous = await Assert.ThrowsAsync<AlertDeliveryException>(() => Channel(user: null).SendAsync(AlertMessageBuilder.Problem(subject), subject, log, CancellationToken.None));
        Assert.False(anonymous.Transient);
        Assert.Contains("refused the message (554", anonymous.Message, StringComparison.Ordinal);

        await Task.Delay(1000);
        Assert.Empty(_server.Delivered());
    }

    [Fact]
    public async Task The_server_certificate_is_validated_unless_the_check_is_skipped()
    {
        var subject = AlertTestData.Failing();
        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(() => Channel(skipCertificateCheck: false).SendAsync(AlertMessageBuilder.Problem(subject), subject, new CollectingReporter(), CancellationToken.None));
        Assert.Contains("TLS handshake failed", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Delivered());
    }
}
