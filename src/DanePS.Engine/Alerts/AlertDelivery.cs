using System;

namespace DanePS.Engine.Alerts;

/// <summary>One delivery attempt, as Send-DaneAlert reports it: channel, incident, outcome and why. Holds no secret.</summary>
public sealed class AlertDelivery
{
    internal AlertDelivery(PlannedAlert planned, AlertDeliveryStatus status, string reason, int attempts, DateTimeOffset time, string? error)
    {
        Channel = planned.Channel.Name;
        ChannelType = planned.Channel.ChannelType;
        Target = planned.Channel.Target;
        Endpoint = planned.Subject.Key;
        Kind = planned.Message.Kind;
        Severity = planned.Message.Severity;
        Fault = planned.Fault;
        Subject = planned.Message.Subject;
        Status = status;
        Reason = reason;
        Attempts = attempts;
        Time = time;
        Error = error;
    }

    /// <summary>The channel's name.</summary>
    public string Channel { get; }

    /// <summary>Email, Telegram, Slack, Teams or Webhook.</summary>
    public string ChannelType { get; }

    /// <summary>Where the channel sends, secrets masked.</summary>
    public string Target { get; }

    /// <summary>The endpoint ("host:port") the incident is about.</summary>
    public string Endpoint { get; }

    /// <summary>Problem or Recovery.</summary>
    public AlertKind Kind { get; }

    /// <summary>Failure or Warning (for a recovery, of the fault that is gone).</summary>
    public AlertSeverity Severity { get; }

    /// <summary>The fault ("Fail", "StaleRecord, TooManyRecords").</summary>
    public string Fault { get; }

    /// <summary>The message's subject line.</summary>
    public string Subject { get; }

    /// <summary>Sent, Suppressed or Failed.</summary>
    public AlertDeliveryStatus Status { get; }

    /// <summary>Why: a new incident, a changed fault, a reminder, a recovery, the suppression window, the failure.</summary>
    public string Reason { get; }

    /// <summary>Attempts made (0 when suppressed).</summary>
    public int Attempts { get; }

    /// <summary>When.</summary>
    public DateTimeOffset Time { get; }

    /// <summary>What went wrong, for a failed delivery (secrets masked).</summary>
    public string? Error { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Status} {Kind} {Endpoint} -> {Channel}: {Subject}";
}
