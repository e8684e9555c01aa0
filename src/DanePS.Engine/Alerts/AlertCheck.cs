namespace DanePS.Engine.Alerts;

/// <summary>One handshake of an endpoint as an alert reports it: address, key type, verdict and why.</summary>
public sealed class AlertCheck
{
    /// <summary>Creates a check line.</summary>
    public AlertCheck(string? address, string? keyType, string verdict, string summary, string? wouldMatch)
    {
        Address = address;
        KeyType = keyType;
        Verdict = verdict;
        Summary = summary;
        WouldMatch = wouldMatch;
    }

    /// <summary>The address connected to (null when the host has none).</summary>
    public string? Address { get; }

    /// <summary>Key type of the certificate seen ("EC P-256", "RSA 2048").</summary>
    public string? KeyType { get; }

    /// <summary>The verdict of this handshake.</summary>
    public string Verdict { get; }

    /// <summary>One line on the verdict.</summary>
    public string Summary { get; }

    /// <summary>The TLSA record that would match what this handshake presented now (its leaf, in the published form).</summary>
    public string? WouldMatch { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Address} {KeyType}: {Verdict}";
}
