using System;
using System.Net;
using System.Security;
using DanePS.Engine.TlsRpt;

namespace DanePS.Engine.Monitoring;

/// <summary>
/// Where TLS-RPT aggregate reports (RFC 8460) arrive: the monitor reads this IMAP mailbox in every run, beside its
/// checks, emits a summary per reported failure, and alerts on them once per incident.
/// </summary>
public sealed class TlsRptMailboxSettings
{
    /// <summary>The IMAP server.</summary>
    public string Server { get; internal set; } = string.Empty;

    /// <summary>The IMAP port (993 by default; 143 with STARTTLS).</summary>
    public int Port { get; internal set; } = 993;

    /// <summary>ImplicitTls (default) or StartTls (the default when Port is 143).</summary>
    public MailboxTlsMode TlsMode { get; internal set; } = MailboxTlsMode.ImplicitTls;

    /// <summary>The login.</summary>
    public string UserName { get; internal set; } = string.Empty;

    /// <summary>Where the password is read from.</summary>
    public SecretReference? Password { get; internal set; }

    /// <summary>The folder reports arrive in.</summary>
    public string Folder { get; internal set; } = "INBOX";

    /// <summary>Only mails received within this many days (counting today); null reads every mail of the folder.</summary>
    public int? SinceDays { get; internal set; }

    /// <summary>Mark each mail whose reports were all read as read (\Seen).</summary>
    public bool MarkAsRead { get; internal set; }

    /// <summary>Accept any server certificate (test servers only).</summary>
    public bool SkipCertificateCheck { get; internal set; }

    /// <summary>The password itself, resolved when the settings were read.</summary>
    internal SecureString? Secret { get; set; }

    /// <summary>The mailbox as a URL without the password, for messages and -WhatIf.</summary>
    public override string ToString() => string.Format(System.Globalization.CultureInfo.InvariantCulture, "imap://{0}@{1}:{2}/{3}", UserName, Server, Port, Folder);

    internal TlsRptImapOptions ToImapOptions(TimeSpan timeout, DateTimeOffset now) => new()
    {
        Host = Server,
        Port = Port,
        TlsMode = TlsMode,
        Credential = new NetworkCredential(UserName, Secret),
        Folder = Folder,
        Since = SinceDays is { } days ? new DateTimeOffset(now.UtcDateTime.Date.AddDays(1 - days), TimeSpan.Zero) : null,
        MarkAsRead = MarkAsRead,
        SkipCertificateCheck = SkipCertificateCheck,
        Timeout = timeout,
    };
}
