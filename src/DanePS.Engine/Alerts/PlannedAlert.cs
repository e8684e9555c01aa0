namespace DanePS.Engine.Alerts;

/// <summary>A message that a run would send to a channel, or holds back because it was announced recently.</summary>
public sealed class PlannedAlert
{
    internal PlannedAlert(AlertChannel channel, AlertSubject subject, AlertMessage message, string fault, bool suppressed, string reason)
    {
        Channel = channel;
        Subject = subject;
        Message = message;
        Fault = fault;
        Suppressed = suppressed;
        Reason = reason;
    }

    /// <summary>Where it goes.</summary>
    public AlertChannel Channel { get; }

    /// <summary>What it is about.</summary>
    public AlertSubject Subject { get; }

    /// <summary>What it says.</summary>
    public AlertMessage Message { get; }

    /// <summary>The fault announced, or (for a recovery) the fault that is gone.</summary>
    public string Fault { get; }

    /// <summary>True when it is held back: the same fault was announced on this channel within the window.</summary>
    public bool Suppressed { get; }

    /// <summary>Why it is sent or held back.</summary>
    public string Reason { get; }
}
