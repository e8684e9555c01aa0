using System;
using System.Collections.Generic;
using System.Linq;

namespace DanePS.Engine.Monitoring;

/// <summary>
/// One value of a monitor settings file, with where it was written: a table (a PowerShell hashtable), a list, or a
/// scalar (string, whole number, number, bool, TimeSpan, SecureString). The cmdlet builds it from the settings file's
/// syntax tree (with lines) or from a hashtable (without), so the engine can validate settings without PowerShell types.
/// </summary>
public sealed class SettingsNode
{
    private readonly List<SettingsEntry> _entries = new();
    private readonly List<SettingsNode> _items = new();

    private SettingsNode(SettingsNodeKind kind, object? value, int line)
    {
        Kind = kind;
        Value = value;
        Line = line;
    }

    /// <summary>Table, List or Scalar.</summary>
    public SettingsNodeKind Kind { get; }

    /// <summary>A scalar's value (null for $null, tables and lists).</summary>
    public object? Value { get; }

    /// <summary>The 1-based line it starts on in the settings file; 0 when it came from a hashtable.</summary>
    public int Line { get; }

    /// <summary>A table's keys and values, in the order written.</summary>
    public IReadOnlyList<SettingsEntry> Entries => _entries;

    /// <summary>A list's items.</summary>
    public IReadOnlyList<SettingsNode> Items => _items;

    /// <summary>A table.</summary>
    public static SettingsNode Table(int line) => new(SettingsNodeKind.Table, null, line);

    /// <summary>A list.</summary>
    public static SettingsNode List(int line) => new(SettingsNodeKind.List, null, line);

    /// <summary>A scalar; <paramref name="value"/> is a string, long, int, double, bool, TimeSpan, SecureString or null.</summary>
    public static SettingsNode Scalar(object? value, int line) => new(SettingsNodeKind.Scalar, value is int i ? (long)i : value, line);

    /// <summary>Adds a key to a table.</summary>
    public SettingsNode Add(string key, int keyLine, SettingsNode value)
    {
        if (Kind != SettingsNodeKind.Table)
        {
            throw new InvalidOperationException("Only a table has keys.");
        }

        _entries.Add(new SettingsEntry(key ?? throw new ArgumentNullException(nameof(key)), keyLine, value ?? throw new ArgumentNullException(nameof(value))));
        return this;
    }

    /// <summary>Adds an item to a list.</summary>
    public SettingsNode Add(SettingsNode item)
    {
        if (Kind != SettingsNodeKind.List)
        {
            throw new InvalidOperationException("Only a list has items.");
        }

        _items.Add(item ?? throw new ArgumentNullException(nameof(item)));
        return this;
    }

    /// <summary>The entry for a key (case-insensitive, as PowerShell hashtables are).</summary>
    public SettingsEntry? Find(string key) => _entries.FirstOrDefault(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>What kind of value this is, for messages ("a string", "a table").</summary>
    public string Describe() => Kind switch
    {
        SettingsNodeKind.Table => "a table (@{ … })",
        SettingsNodeKind.List => "a list (@( … ))",
        _ => Value switch
        {
            null => "$null",
            string => "a string",
            long => "a whole number",
            double or decimal or float => "a number",
            bool => "$true/$false",
            _ => "a " + Value.GetType().Name,
        },
    };
}
