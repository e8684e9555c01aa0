namespace DanePS.Engine.Tls;

/// <summary>How TLS is started on the connection.</summary>
public enum StartTlsProtocol
{
    /// <summary>Chosen from the port: 25, 587 and 2525 SMTP; 143 IMAP; 110 POP3; anything else implicit TLS.</summary>
    Auto,
    /// <summary>Implicit TLS: the handshake starts at once, no STARTTLS (443, 465, 993, 995, …). Was "None" before 0.1.</summary>
    ImplicitTls,
    /// <summary>SMTP STARTTLS (RFC 3207).</summary>
    Smtp,
    /// <summary>IMAP STARTTLS (RFC 3501).</summary>
    Imap,
    /// <summary>POP3 STLS (RFC 2595).</summary>
    Pop3,
}
