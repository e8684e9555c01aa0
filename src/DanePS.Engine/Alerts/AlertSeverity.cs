namespace DanePS.Engine.Alerts;

/// <summary>How loud an endpoint's state is: channels hear what is at or above their minimum severity.</summary>
public enum AlertSeverity
{
    /// <summary>Nothing to announce: Pass, NotDane, or only information (a rollover in progress).</summary>
    Information = 0,

    /// <summary>Warnings only: too many records, a stale record, a certificate expiring.</summary>
    Warning = 1,

    /// <summary>A DANE client would not connect: Fail, DnssecFailure, Unreachable, NoSuchHost.</summary>
    Failure = 2,
}
