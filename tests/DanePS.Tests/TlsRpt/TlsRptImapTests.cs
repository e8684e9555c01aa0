using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DanePS.Engine.TlsRpt;
using DanePS.Tests.Fixtures;
using DanePS.Tests.Fixtures.Servers;
using DanePS.Tests.Module;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Xunit;

namespace DanePS.Tests.TlsRpt;

/// <summary>
/// Get-TlsRptReport against the fixture report mailbox: Dovecot over IMAPS and IMAP STARTTLS with a login, holding
/// report mails that Postfix received by SMTP and delivered.
/// </summary>
[Collection("EndpointWorld")]
public sealed class TlsRptImapTests : IDisposable
{
    private readonly EndpointWorld _world;
    private readonly ModuleSession _session = new();

    public TlsRptImapTests(EndpointWorld world) => _world = world;

    public void Dispose() => _session.Dispose();

    private Dictionary<string, object?> Vars(string password = ReportMailboxTestServer.Password) => new()
    {
        ["server"] = _world.ReportMailbox.ImapsEndpoint.Address.ToString(),
        ["imapsPort"] = _world.ReportMailbox.ImapsEndpoint.Port,
        ["imapPort"] = _world.ReportMailbox.ImapEndpoint.Port,
        ["cred"] = new PSCredential(ReportMailboxTestServer.UserName, AlertsSecure(password)),
    };

    private static System.Security.SecureString AlertsSecure(string text) => Alerts.AlertTestData.Secure(text);

    private static string Id(ErrorRecord e) => e.FullyQualifiedErrorId.Split(',')[0];

    [Fact]
    public void The_mailbox_is_read_over_implicit_tls_with_a_login_and_a_mail_without_a_report_is_an_error()
    {
        var policies = _session.Run<TlsRptPolicyResult>("Get-TlsRptReport -ImapServer $server -ImapPort $imapsPort -Credential $cred -SkipCertificateCheck", Vars());
        Assert.Equal(new[] { "Google Inc.", "Microsoft Corporation", "Microsoft Corporation", "Microsoft Corporation", "Company-X" }, policies.Select(p => p.OrganizationName));
        Assert.All(policies, p => Assert.StartsWith($"imap://tls-reports@{_world.ReportMailbox.ImapsEndpoint.Address}:{_world.ReportMailbox.ImapsEndpoint.Port}/INBOX;UID=", p.Source, StringComparison.Ordinal));
        var error = Assert.Single(_session.LastErrors);
        Assert.Equal("GetTlsRptReportNoReportInMessage", Id(error));
        Assert.EndsWith(";UID=4", (string)error.TargetObject, StringComparison.Ordinal);
        Assert.Contains("text/html", error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Starttls_on_143_reads_the_same_failures()
    {
        var failures = _session.Run<TlsRptFailureDetail>("Get-TlsRptReport -ImapServer $server -ImapPort $imapPort -TlsMode StartTls -Credential $cred -SkipCertificateCheck -FailureDetail", Vars());
        Assert.Equal(1 + 2 + 3, failures.Count);
        Assert.Contains(failures, f => f.ResultType == "tlsa-invalid" && f.ReceivingMxHostname == "mx1.dane.example" && f.FailedSessionCount == 12);
    }

    [Fact]
    public void A_wrong_password_an_unknown_folder_and_an_untrusted_certificate_are_errors_of_their_own()
    {
        Assert.Empty(_session.Run("Get-TlsRptReport -ImapServer $server -ImapPort $imapsPort -Credential $cred -SkipCertificateCheck", Vars("wrong")));
        Assert.Equal("GetTlsRptReportLoginFailed", Id(Assert.Single(_session.LastErrors)));
        Assert.Equal(ErrorCategory.AuthenticationError, _session.LastErrors[0].CategoryInfo.Category);
        Assert.DoesNotContain("wrong", _session.LastErrors[0].Exception.Message, StringComparison.Ordinal);

        Assert.Empty(_session.Run("Get-TlsRptReport -ImapServer $server -ImapPort $imapsPort -Credential $cred -SkipCertificateCheck -Folder NoSuchFolder", Vars()));
        Assert.Equal("GetTlsRptReportFolderNotFound", Id(Assert.Single(_session.LastErrors)));

        // The fixture's certificate is for *.dane.test from a private root: without -SkipCertificateCheck, TLS fails.
        Assert.Empty(_session.Run("Get-TlsRptReport -ImapServer $server -ImapPort $imapsPort -Credential $cred", Vars()));
        Assert.Equal("GetTlsRptReportMailboxUnavailable", Id(Assert.Single(_session.LastErrors)));
        Assert.Equal(ErrorCategory.ConnectionError, _session.LastErrors[0].CategoryInfo.Category);
    }

    [Fact]
    public void Since_tomorrow_reads_nothing_and_since_yesterday_reads_everything()
    {
        Assert.Empty(_session.Run("Get-TlsRptReport -ImapServer $server -ImapPort $imapsPort -Credential $cred -SkipCertificateCheck -Since ([DateTime]::UtcNow.AddDays(2))", Vars()));
        Assert.Empty(_session.LastErrors);
        Assert.Equal(5, _session.Run<TlsRptPolicyResult>("Get-TlsRptReport -ImapServer $server -ImapPort $imapsPort -Credential $cred -SkipCertificateCheck -Since ([DateTime]::UtcNow.AddDays(-1))", Vars()).Count);
    }

    [Fact]
    public void Mark_as_read_marks_the_mails_whose_reports_were_read_and_leaves_the_bad_one_unread()
    {
        Assert.Equal(5, _session.Run<TlsRptPolicyResult>("Get-TlsRptReport -ImapServer $server -ImapPort $imapsPort -Credential $cred -SkipCertificateCheck -MarkAsRead -WhatIf", Vars()).Count);
        Assert.All(Flags(), f => Assert.False(f.Value, $"UID {f.Key} was marked read by -WhatIf"));

        _session.Run("Get-TlsRptReport -ImapServer $server -ImapPort $imapsPort -Credential $cred -SkipCertificateCheck -MarkAsRead -Confirm:$false", Vars());
        var seen = Flags();
        Assert.Equal(new[] { true, true, true, false }, seen.OrderBy(f => f.Key).Select(f => f.Value));
    }

    // Which mails are \Seen, by UID, read with MailKit directly.
    private Dictionary<uint, bool> Flags()
    {
        using var client = new ImapClient();
#pragma warning disable CA5359 // the fixture's private certificate
        client.ServerCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        client.Connect(_world.ReportMailbox.ImapsEndpoint.Address.ToString(), _world.ReportMailbox.ImapsEndpoint.Port, SecureSocketOptions.SslOnConnect);
        client.Authenticate(ReportMailboxTestServer.UserName, ReportMailboxTestServer.Password);
        client.Inbox.Open(FolderAccess.ReadOnly);
        var flags = client.Inbox.Fetch(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Flags).ToDictionary(s => s.UniqueId.Id, s => s.Flags!.Value.HasFlag(MessageFlags.Seen));
        client.Disconnect(true);
        return flags;
    }
}
