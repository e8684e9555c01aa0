using System.Globalization;

namespace DanePS.Engine.Checking;

/// <summary>
/// Something an operator should know, with a stable code scripts can match on, and what it is about: the host name and
/// port, and for what one handshake showed, the address and the public key.
/// </summary>
public sealed class DaneFinding
{
    /// <summary>Creates a finding about nothing in particular.</summary>
    public DaneFinding(DaneFindingCode code, FindingSeverity severity, string message)
        : this(code, severity, message, null, null, null, null)
    {
    }

    /// <summary>Creates a finding about a host and port, and optionally one address and the public key one handshake showed.</summary>
    public DaneFinding(DaneFindingCode code, FindingSeverity severity, string message, string? hostName, int? port, string? address, string? publicKey)
    {
        Code = code;
        Severity = severity;
        Message = message;
        HostName = hostName;
        Port = port;
        Address = address;
        PublicKey = publicKey;
    }

    /// <summary>What the finding is about, from a closed set (StaleRecord, TooManyRecords, RolloverInProgress, …).</summary>
    public DaneFindingCode Code { get; }

    /// <summary>Warning or information.</summary>
    public FindingSeverity Severity { get; }

    /// <summary>What to know or do, in words.</summary>
    public string Message { get; }

    /// <summary>The host the finding is about (the MX host, or the mail domain itself for domain-wide findings).</summary>
    public string? HostName { get; }

    /// <summary>The port.</summary>
    public int? Port { get; }

    /// <summary>The address, when the finding is about what one address presented (null for the RRset or the host as a whole).</summary>
    public string? Address { get; }

    /// <summary>The public key of the certificate the finding is about ("EC P-256", "RSA 2048"), when it is about one handshake.</summary>
    public string? PublicKey { get; }

    /// <summary>"host:port", with " [address]" when the finding is about one address; empty when about nothing in particular.</summary>
    public string Subject => HostName is null
        ? string.Empty
        : string.Format(CultureInfo.InvariantCulture, "{0}:{1}{2}", HostName, Port, Address is null ? string.Empty : $" [{Address}]");

    /// <inheritdoc />
    public override string ToString() => $"{Code}: {Message}";
}
