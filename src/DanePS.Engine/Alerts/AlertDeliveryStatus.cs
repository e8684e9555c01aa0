namespace DanePS.Engine.Alerts;

/// <summary>What became of one delivery attempt.</summary>
public enum AlertDeliveryStatus
{
    /// <summary>The channel accepted the message.</summary>
    Sent,

    /// <summary>Not sent: the same fault was announced on this channel within the suppression window.</summary>
    Suppressed,

    /// <summary>The channel refused or could not be reached, after the retries; the next run tries again.</summary>
    Failed,
}
