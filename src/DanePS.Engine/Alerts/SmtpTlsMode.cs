namespace DanePS.Engine.Alerts;

/// <summary>How the e-mail channel secures its SMTP submission.</summary>
public enum SmtpTlsMode
{
    /// <summary>Plain connection upgraded with STARTTLS, which is required (usually port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (usually port 465).</summary>
    ImplicitTls,
}
