namespace DanePS.Engine.TlsRpt;

/// <summary>How a mailbox connection is secured; there is no plain-text mode, since a login crosses it.</summary>
public enum MailboxTlsMode
{
    /// <summary>TLS from the first byte (IMAPS, usually port 993).</summary>
    ImplicitTls,

    /// <summary>Plain connection upgraded with STARTTLS, which is required (usually port 143).</summary>
    StartTls,
}
