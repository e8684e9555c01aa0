using System;
using System.Net;

namespace DanePS.Engine.TlsRpt;

/// <summary>
/// Where and how to read reports from an IMAP mailbox: plain .NET types only, so that a cmdlet (from -ImapServer
/// and a PSCredential) and a monitor's settings file can both fill it in.
/// </summary>
public sealed class TlsRptImapOptions
{
    /// <summary>The IMAP server's host name or address.</summary>
    public string Host { get; set; } = string.Empty;

    /// <summary>The port; null for the usual one of <see cref="TlsMode"/> (993 implicit TLS, 143 STARTTLS).</summary>
    public int? Port { get; set; }

    /// <summary>Implicit TLS (default) or STARTTLS; never plain text.</summary>
    public MailboxTlsMode TlsMode { get; set; } = MailboxTlsMode.ImplicitTls;

    /// <summary>User name and password for the login.</summary>
    public NetworkCredential? Credential { get; set; }

    /// <summary>The folder that holds the reports (default INBOX; sub-folders by their full name, e.g. "INBOX/tls-reports").</summary>
    public string Folder { get; set; } = "INBOX";

    /// <summary>Only mails the server received on or after this day (IMAP SEARCH SINCE compares dates, not times); null for all.</summary>
    public DateTimeOffset? Since { get; set; }

    /// <summary>Mark each mail whose reports were all read as read (\Seen); mails that gave an error stay unread.</summary>
    public bool MarkAsRead { get; set; }

    /// <summary>Accept any server certificate (test servers only).</summary>
    public bool SkipCertificateCheck { get; set; }

    /// <summary>How long one network operation may take (default 30 seconds).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most mails read in one run (default 10000).</summary>
    public int MaxMessages { get; set; } = 10000;

    /// <summary>The port used: <see cref="Port"/>, or the usual one of <see cref="TlsMode"/>.</summary>
    public int EffectivePort => Port ?? (TlsMode == MailboxTlsMode.ImplicitTls ? 993 : 143);
}
