namespace DanePS.Engine.Monitoring;

/// <summary>What a <see cref="SettingsNode"/> holds.</summary>
public enum SettingsNodeKind
{
    /// <summary>A string, number, bool, TimeSpan, SecureString or $null.</summary>
    Scalar,

    /// <summary>Keys and values (a PowerShell hashtable).</summary>
    Table,

    /// <summary>Items (a PowerShell array).</summary>
    List,
}
