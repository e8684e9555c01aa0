using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS.Tests.Fixtures.Servers;

/// <summary>
/// SMTP submission as a mail provider runs it: Postfix on port 587 of a fresh loopback address, STARTTLS required
/// (smtpd_tls_security_level = encrypt), AUTH offered only after it and required for every recipient, checked by
/// Dovecot's SASL against one user; mail for <see cref="Domain"/> is delivered into a Maildir the test reads.
/// </summary>
public sealed class SubmissionTestServer : IAsyncDisposable
{
    private readonly DovecotTestServer _dovecot;
    private readonly PostfixTestServer _postfix;

    private SubmissionTestServer(DovecotTestServer dovecot, PostfixTestServer postfix, string mailbox)
    {
        _dovecot = dovecot;
        _postfix = postfix;
        MailboxDirectory = mailbox;
    }

    public const string UserName = "alerts";

    public const string Password = "Submission-Pa55word";

    public const string Domain = "alerts.test";

    public IPEndPoint Endpoint => _postfix.Endpoint;

    /// <summary>The Maildir's root; delivered messages are files in <c>inbox/new/</c>.</summary>
    public string MailboxDirectory { get; }

    public string NewMailDirectory => Path.Combine(MailboxDirectory, "inbox", "new");

    /// <summary>Starts the server: STARTTLS on 587, or with <paramref name="implicitTls"/> TLS from the first byte on 465 (smtps).</summary>
    public static async Task<SubmissionTestServer> StartAsync(TlsIdentity identity, bool implicitTls = false, CancellationToken cancellationToken = default)
    {
        var dovecotOptions = new DovecotTestServerOptions { Pop3Port = null };
        dovecotOptions.Identities.Add(identity);
        dovecotOptions.SaslUsers[UserName] = Password;
        var dovecot = await DovecotTestServer.StartAsync(dovecotOptions, cancellationToken);
        try
        {
            var mailbox = Path.Combine(Path.GetTempPath(), "daneps-mailbox-" + Guid.NewGuid().ToString("N"));
            var options = new PostfixTestServerOptions { HostName = "submission.alerts.test", MailboxDirectory = mailbox, MailboxDomain = Domain };
            options.Endpoints.Add(LoopbackEndpoints.NextEndpoint(implicitTls ? 465 : 587));
            if (implicitTls)
            {
                options.SmtpdOverrides["smtpd_tls_wrappermode"] = "yes";
            }

            options.Identities.Add(identity);
            options.MainCf["smtpd_sasl_type"] = "dovecot";
            options.MainCf["smtpd_sasl_path"] = dovecot.SaslSocketPath!;
            options.MainCf["smtpd_sasl_auth_enable"] = "yes";
            options.MainCf["smtpd_tls_auth_only"] = "yes";
            options.MainCf["smtpd_tls_security_level"] = "encrypt";
            options.MainCf["smtpd_relay_restrictions"] = "permit_sasl_authenticated, reject";
            options.MainCf["smtpd_recipient_restrictions"] = "permit_sasl_authenticated, reject";
            var postfix = await PostfixTestServer.StartAsync(options, cancellationToken);
            return new SubmissionTestServer(dovecot, postfix, mailbox);
        }
        catch
        {
            await dovecot.DisposeAsync();
            throw;
        }
    }

    /// <summary>The delivered messages, oldest first.</summary>
    public IReadOnlyList<string> Delivered() =>
        Directory.Exists(NewMailDirectory) ? Directory.GetFiles(NewMailDirectory).OrderBy(File.GetLastWriteTimeUtc).ThenBy(f => f, StringComparer.Ordinal).ToList() : Array.Empty<string>();

    /// <summary>Waits until at least <paramref name="count"/> messages were delivered (Postfix delivers from its queue).</summary>
    public async Task<IReadOnlyList<string>> WaitForAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Delivered().Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        return Delivered();
    }

    public async ValueTask DisposeAsync()
    {
        await _postfix.DisposeAsync();
        await _dovecot.DisposeAsync();
        if (Directory.Exists(MailboxDirectory))
        {
            Directory.Delete(MailboxDirectory, recursive: true);
        }
    }
}
