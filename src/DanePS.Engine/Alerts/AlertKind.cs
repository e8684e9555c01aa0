namespace DanePS.Engine.Alerts;

/// <summary>What a message announces.</summary>
public enum AlertKind
{
    /// <summary>A fault: a failure or warnings.</summary>
    Problem,

    /// <summary>A fault announced before is gone.</summary>
    Recovery,
}
