namespace DanePS.Engine.Checking;

/// <summary>How much a finding matters.</summary>
public enum FindingSeverity
{
    /// <summary>Worth knowing; nothing is wrong (e.g. a rollover in progress).</summary>
    Information,
    /// <summary>Something to fix before it breaks.</summary>
    Warning,
}
