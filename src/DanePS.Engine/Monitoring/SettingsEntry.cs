namespace DanePS.Engine.Monitoring;

/// <summary>One key of a settings table, with the line the key is written on.</summary>
public sealed class SettingsEntry
{
    internal SettingsEntry(string key, int line, SettingsNode value)
    {
        Key = key;
        Line = line;
        Value = value;
    }

    /// <summary>The key as written.</summary>
    public string Key { get; }

    /// <summary>The 1-based line of the key; 0 when the settings came from a hashtable.</summary>
    public int Line { get; }

    /// <summary>Its value.</summary>
    public SettingsNode Value { get; }
}
