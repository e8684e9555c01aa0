using System;

namespace DanePS.Engine.Tls;

/// <summary>Limits and choices for one probe. Every wait is bounded.</summary>
public sealed class TlsProbeOptions
{
    private static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DefaultReadTimeout = TimeSpan.FromSeconds(15);

    /// <summary>TCP connect timeout.</summary>
    public TimeSpan ConnectTimeout { get; set; } = DefaultConnectTimeout;

    /// <summary>Longest wait for any single read.</summary>
    public TimeSpan ReadTimeout { get; set; } = DefaultReadTimeout;

    /// <summary>Deadline for the whole probe (connect, STARTTLS, handshake).</summary>
    public TimeSpan OverallTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Longest protocol line accepted before STARTTLS.</summary>
    public int MaxLineLength { get; set; } = 4096;

    /// <summary>Most lines accepted in one reply (greeting, EHLO, CAPA).</summary>
    public int MaxReplyLines { get; set; } = 100;

    /// <summary>Name sent in EHLO.</summary>
    public string ClientName { get; set; } = "daneps.invalid";

    /// <summary>Which key type to ask the server for.</summary>
    public TlsKeyType KeyType { get; set; } = TlsKeyType.Any;

    /// <summary>
    /// The limits for one deadline (a cmdlet's -TimeoutSec): the whole probe within <paramref name="deadline"/>, the
    /// connect within 10 s and each read within 15 s, or within the deadline when it is shorter.
    /// </summary>
    public static TlsProbeOptions WithinDeadline(TimeSpan deadline) => new()
    {
        OverallTimeout = deadline,
        ConnectTimeout = deadline < DefaultConnectTimeout ? deadline : DefaultConnectTimeout,
        ReadTimeout = deadline < DefaultReadTimeout ? deadline : DefaultReadTimeout,
    };

    /// <summary>The same limits, asking for another key type.</summary>
    public TlsProbeOptions WithKeyType(TlsKeyType keyType)
    {
        var copy = (TlsProbeOptions)MemberwiseClone();
        copy.KeyType = keyType;
        return copy;
    }

    /// <summary>Resolves the dialect for a port when <see cref="StartTlsProtocol.Auto"/> is given.</summary>
    public static StartTlsProtocol ForPort(int port) => port switch
    {
        25 or 587 or 2525 => StartTlsProtocol.Smtp,
        143 => StartTlsProtocol.Imap,
        110 => StartTlsProtocol.Pop3,
        _ => StartTlsProtocol.ImplicitTls,
    };
}
