using System.Globalization;

namespace DanePS.Engine.Monitoring;

/// <summary>One problem with the monitor settings: which key, where in the file, what is wrong.</summary>
public sealed class SettingsProblem
{
    /// <summary>Creates a problem report.</summary>
    public SettingsProblem(SettingsProblemKind kind, string keyPath, int line, string message)
    {
        Kind = kind;
        KeyPath = keyPath;
        Line = line;
        Message = message;
    }

    /// <summary>What kind of problem.</summary>
    public SettingsProblemKind Kind { get; }

    /// <summary>The key, as a path from the top ("Alerts.Channels[1].BotToken"); empty for the whole file.</summary>
    public string KeyPath { get; }

    /// <summary>The 1-based line in the settings file; 0 for settings given as a hashtable.</summary>
    public int Line { get; }

    /// <summary>What is wrong and what to write instead.</summary>
    public string Message { get; }

    /// <summary>The file the settings came from, if any.</summary>
    public string? File { get; set; }

    /// <inheritdoc />
    public override string ToString()
    {
        var where = Line > 0
            ? string.Format(CultureInfo.InvariantCulture, "{0}line {1}: ", File is null ? string.Empty : File + ", ", Line)
            : string.Empty;
        return KeyPath.Length > 0 ? $"{where}{KeyPath}: {Message}" : where + Message;
    }
}
