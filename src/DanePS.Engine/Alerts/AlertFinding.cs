namespace DanePS.Engine.Alerts;

/// <summary>One finding as an alert reports it: code, how much it matters, what it is about, and what to do.</summary>
public sealed class AlertFinding
{
    /// <summary>Creates a finding line.</summary>
    public AlertFinding(string code, AlertSeverity severity, string about, string message)
    {
        Code = code;
        Severity = severity;
        About = about;
        Message = message;
    }

    /// <summary>The finding's stable code, e.g. "TooManyRecords".</summary>
    public string Code { get; }

    /// <summary>Warning or Information.</summary>
    public AlertSeverity Severity { get; }

    /// <summary>"host:port", with " [address]" when about one handshake.</summary>
    public string About { get; }

    /// <summary>What to know or do.</summary>
    public string Message { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Severity} {Code}: {Message}";
}
