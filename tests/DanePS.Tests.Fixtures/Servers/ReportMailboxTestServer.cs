using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DanePS.Tests.Fixtures.Servers;

/// <summary>
/// The mailbox a domain's TLS-RPT record points at (rua=mailto:tls-reports@reports.test): Postfix receives mail for
/// <see cref="Domain"/> on port 25 as an MX does and its virtual agent delivers it into a Maildir, which Dovecot
/// serves over IMAPS (993) and IMAP STARTTLS (143) to one user with a password. Mail reaches it by real SMTP
/// (<see cref="DeliverAsync"/>), never by writing into the Maildir.
/// </summary>
public sealed class ReportMailboxTestServer : IAsyncDisposable
{
    private readonly DovecotTestServer _dovecot;
    private readonly PostfixTestServer _postfix;

    private ReportMailboxTestServer(DovecotTestServer dovecot, PostfixTestServer postfix, string mailbox)
    {
        _dovecot = dovecot;
        _postfix = postfix;
        MailboxDirectory = mailbox;
    }

    public const string UserName = "tls-reports";

    public const string Password = "Report-Mailbox-Pa55";

    public const string Domain = "reports.test";

    public static string Address => UserName + "@" + Domain;

    /// <summary>Postfix's SMTP listener (port 25, STARTTLS offered, no AUTH: it is the domain's MX).</summary>
    public IPEndPoint SmtpEndpoint => _postfix.Endpoint;

    public IPEndPoint ImapsEndpoint => _dovecot.ImapsEndpoint!;

    public IPEndPoint ImapEndpoint => _dovecot.ImapEndpoint!;

    /// <summary>The Maildir (Dovecot's INBOX) into which Postfix delivers.</summary>
    public string MailboxDirectory { get; }

    private string InboxDirectory => Path.Combine(MailboxDirectory, "inbox");

    public static async Task<ReportMailboxTestServer> StartAsync(TlsIdentity identity, CancellationToken cancellationToken = default)
    {
        var mailbox = Path.Combine(Path.GetTempPath(), "daneps-reports-" + Guid.NewGuid().ToString("N"));
        var options = new PostfixTestServerOptions { HostName = "mx." + Domain, MailboxDirectory = mailbox, MailboxDomain = Domain };
        options.Endpoints.Add(LoopbackEndpoints.NextEndpoint(25));
        options.Identities.Add(identity);
        var postfix = await PostfixTestServer.StartAsync(options, cancellationToken);
        try
        {
            var dovecotOptions = new DovecotTestServerOptions { Pop3Port = null, ImapPort = 143, ImapsPort = 993 };
            dovecotOptions.Identities.Add(identity);
            dovecotOptions.MailUsers[UserName] = (Password, Path.Combine(mailbox, "inbox"));
            var dovecot = await DovecotTestServer.StartAsync(dovecotOptions, cancellationToken);
            return new ReportMailboxTestServer(dovecot, postfix, mailbox);
        }
        catch
        {
            await postfix.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends each raw mail to <see cref="Address"/> over SMTP, then waits until Postfix has delivered them all.</summary>
    public async Task DeliverAsync(IReadOnlyList<string> mails, TimeSpan timeout)
    {
        var before = Delivered();
        foreach (var mail in mails)
        {
            await SendAsync(mail);
        }

        var deadline = DateTime.UtcNow + timeout;
        while (Delivered() < before + mails.Count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new FixtureException($"Postfix delivered {Delivered() - before} of {mails.Count} report mail(s) into {InboxDirectory} within {timeout}.");
            }

            await Task.Delay(100);
        }
    }

    private int Delivered() =>
        new[] { "new", "cur" }.Select(d => Path.Combine(InboxDirectory, d)).Where(Directory.Exists).Sum(d => Directory.GetFiles(d).Length);

    // A plain SMTP dialogue, as a sending MTA without TLS speaks it; the fixture mails are ASCII.
    private async Task SendAsync(string mail)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(SmtpEndpoint.Address, SmtpEndpoint.Port);
        using var stream = client.GetStream();
        stream.ReadTimeout = 10000;
        using var reader = new StreamReader(stream, Encoding.ASCII, false, 1024, leaveOpen: true);
        using var writer = new StreamWriter(stream, Encoding.ASCII, 1024, leaveOpen: true) { NewLine = "\r\n", AutoFlush = true };

        async Task Expect(string code)
        {
            string? line;
            do
            {
                line = await reader.ReadLineAsync() ?? throw new FixtureException("Postfix closed the SMTP connection.");
            }
            while (line.Length > 3 && line[3] == '-');

            if (!line.StartsWith(code, StringComparison.Ordinal))
            {
                throw new FixtureException($"Postfix answered '{line}' where {code} was expected.");
            }
        }

        await Expect("220");
        await writer.WriteLineAsync("EHLO sender.example");
        await Expect("250");
        await writer.WriteLineAsync("MAIL FROM:<noreply-smtp-tls-reporting@sender.example>");
        await Expect("250");
        await writer.WriteLineAsync($"RCPT TO:<{Address}>");
        await Expect("250");
        await writer.WriteLineAsync("DATA");
        await Expect("354");
        foreach (var line in mail.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            await writer.WriteLineAsync(line.StartsWith('.') ? "." + line : line);
        }

        await writer.WriteLineAsync(".");
        await Expect("250");
        await writer.WriteLineAsync("QUIT");
    }

    public async ValueTask DisposeAsync()
    {
        await _dovecot.DisposeAsync();
        await _postfix.DisposeAsync();
        if (Directory.Exists(MailboxDirectory))
        {
            Directory.Delete(MailboxDirectory, recursive: true);
        }
    }
}
