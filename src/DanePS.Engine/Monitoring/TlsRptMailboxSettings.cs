namespace DanePS.Engine.Monitoring;

/// <summary>
/// Where TLS-RPT aggregate reports (RFC 8460) arrive, for the report reader of a later step. Reserved: the settings
/// file may hold it and it is validated, but the monitor does not read the mailbox yet.
/// </summary>
public sealed class TlsRptMailboxSettings
{
    /// <summary>The IMAP server.</summary>
    public string Server { get; internal set; } = string.Empty;

    /// <summary>The IMAP port (993 by default).</summary>
    public int Port { get; internal set; } = 993;

    /// <summary>The login.</summary>
    public string UserName { get; internal set; } = string.Empty;

    /// <summary>Where the password is read from.</summary>
    public SecretReference? Password { get; internal set; }

    /// <summary>The folder reports arrive in.</summary>
    public string Folder { get; internal set; } = "INBOX";
}
