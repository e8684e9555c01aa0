using System;

namespace DanePS.Engine.Alerts;

/// <summary>One announced incident: which endpoint, on which channel, which fault, and when.</summary>
public sealed class AlertStateEntry
{
    /// <summary>Creates an entry.</summary>
    public AlertStateEntry(string endpoint, string channel, string fault, AlertSeverity severity, DateTimeOffset announcedAt)
    {
        Endpoint = endpoint;
        Channel = channel;
        Fault = fault;
        Severity = severity;
        AnnouncedAt = announcedAt;
    }

    /// <summary>"host:port".</summary>
    public string Endpoint { get; }

    /// <summary>The channel's name.</summary>
    public string Channel { get; }

    /// <summary>The fault announced (<see cref="AlertSubject.Fault"/>).</summary>
    public string Fault { get; }

    /// <summary>Its severity.</summary>
    public AlertSeverity Severity { get; }

    /// <summary>When it was last announced on this channel.</summary>
    public DateTimeOffset AnnouncedAt { get; }
}
